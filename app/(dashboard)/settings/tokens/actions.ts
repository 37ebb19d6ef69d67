'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiToken, revokeApiToken } from '@/lib/auth/apiTokens';
import { audit } from '@/lib/auth/audit';
import { TOKEN_SCOPES } from '@/lib/auth/roles';
import { ActionError, formFields, serverAction } from '@/lib/auth/serverAction';

export interface TokenFormState {
  error: string | null;
  secret: string | null; // shown once, right after creation
  name: string | null;
}

const tokenForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'give the token a name (what machine or job uses it)')
    .max(100, 'a token name is at most 100 characters'),
  scope: z.enum(TOKEN_SCOPES, 'choose the scope: ingest, read or triage'),
  expires: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'the expiry must be a date (YYYY-MM-DD)')
    .default(''),
});

export const createToken = serverAction(
  {
    name: 'createToken',
    role: 'admin',
    input: tokenForm,
    from: (_previous: TokenFormState, form: FormData) => formFields(form),
    fail: (error): TokenFormState => ({ error, secret: null, name: null }),
  },
  async ({ actor, input }): Promise<TokenFormState> => {
    const expiresAt = input.expires ? new Date(`${input.expires}T23:59:59Z`) : null;
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date()))
      throw new ActionError('The expiry must be a future date.');
    const { token, secret } = await createApiToken({
      name: input.name,
      scope: input.scope,
      expiresAt,
      createdBy: actor.label,
    });
    await audit(actor, 'token.create', token.name, {
      id: token.id,
      scope: input.scope,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
    revalidatePath('/settings/tokens');
    return { error: null, secret, name: token.name };
  },
);

export const revokeToken = serverAction(
  {
    name: 'revokeToken',
    role: 'admin',
    input: z.object({ id: z.string().min(1).max(100), name: z.string().max(200).default('') }),
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
  },
  async ({ actor, input }): Promise<void> => {
    if (await revokeApiToken(input.id)) await audit(actor, 'token.revoke', input.id, { name: input.name });
    revalidatePath('/settings/tokens');
  },
);
