'use server';

import { revalidatePath } from 'next/cache';
import { createApiToken, revokeApiToken } from '@/lib/auth/apiTokens';
import { audit } from '@/lib/auth/audit';
import { requireActionRole } from '@/lib/auth/guard';
import { isTokenScope } from '@/lib/auth/roles';

export interface TokenFormState {
  error: string | null;
  secret: string | null; // shown once, right after creation
  name: string | null;
}

export async function createToken(_previous: TokenFormState, form: FormData): Promise<TokenFormState> {
  const actor = await requireActionRole('admin');
  const name = String(form.get('name') ?? '').trim();
  const scope = String(form.get('scope') ?? '');
  const expires = String(form.get('expires') ?? '');
  if (!name) return { error: 'Give the token a name (what machine or job uses it).', secret: null, name: null };
  if (!isTokenScope(scope))
    return { error: 'Choose the scope: ingest, read, triage or relays.', secret: null, name: null };
  const expiresAt = expires ? new Date(`${expires}T23:59:59Z`) : null;
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date()))
    return { error: 'The expiry must be a future date.', secret: null, name: null };
  try {
    const { token, secret } = await createApiToken({ name, scope, expiresAt, createdBy: actor.label });
    await audit(actor, 'token.create', token.name, {
      id: token.id,
      scope,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
    revalidatePath('/settings/tokens');
    return { error: null, secret, name: token.name };
  } catch (error) {
    return { error: (error as Error).message, secret: null, name: null };
  }
}

export async function revokeToken(form: FormData): Promise<void> {
  const actor = await requireActionRole('admin');
  const id = String(form.get('id') ?? '');
  if (await revokeApiToken(id)) await audit(actor, 'token.revoke', id, { name: String(form.get('name') ?? '') });
  revalidatePath('/settings/tokens');
}
