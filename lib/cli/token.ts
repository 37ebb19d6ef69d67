import { parseArgs } from 'node:util';
import { parseInstant } from '@/lib/time/instant';
import { CommandError, UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage =
  'torwatch token create --name N --scope ingest|read|triage [--expires ISO] | torwatch token list | torwatch token revoke <id>';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') return create(rest);
  if (sub === 'list' && rest.length === 0) return list();
  if (sub === 'revoke' && rest.length === 1) return revoke(rest[0]);
  throw new UsageError(sub ? `unknown subcommand or arguments for "${sub}"` : 'missing subcommand');
}

async function create(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { name: { type: 'string' }, scope: { type: 'string' }, expires: { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { isTokenScope } = await import('@/lib/auth/roles');
  if (!values.name?.trim()) throw new UsageError('--name is required');
  if (!isTokenScope(values.scope))
    throw new UsageError(`--scope must be ingest, read or triage${values.scope ? `, got "${values.scope}"` : ''}`);
  let expiresAt: Date | null = null;
  if (values.expires) {
    expiresAt = parseInstant(values.expires); // a time without a zone is UTC
    if (!expiresAt) throw new UsageError(`--expires "${values.expires}" is not an ISO 8601 time`);
    if (expiresAt.getTime() <= Date.now()) throw new UsageError(`--expires ${expiresAt.toISOString()} is in the past`);
  }
  const { createApiToken } = await import('@/lib/auth/apiTokens');
  const { audit } = await import('@/lib/auth/audit');
  const scope = values.scope;
  return withDatabase(async () => {
    const { token, secret } = await createApiToken({ name: values.name!, scope, expiresAt, createdBy: 'cli' });
    await audit(null, 'token.create', token.name, {
      id: token.id,
      scope,
      expiresAt: expiresAt?.toISOString() ?? null,
      via: 'cli',
    });
    console.log(
      `created ${scope} token "${token.name}" (id ${token.id}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ''}); it is shown only now:`,
    );
    console.log(secret);
    return 0;
  });
}

async function list(): Promise<number> {
  const { listApiTokens } = await import('@/lib/auth/apiTokens');
  return withDatabase(async () => {
    for (const t of await listApiTokens()) {
      const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= new Date() ? 'expired' : 'active';
      console.log(
        [t.id, t.name, t.scope, t.prefix + '…', state, t.lastUsedAt?.toISOString() ?? 'never used'].join('\t'),
      );
    }
    return 0;
  });
}

async function revoke(id: string): Promise<number> {
  const { revokeApiToken } = await import('@/lib/auth/apiTokens');
  const { audit } = await import('@/lib/auth/audit');
  return withDatabase(async () => {
    if (!(await revokeApiToken(id))) throw new CommandError(`no active token with id ${id}`);
    await audit(null, 'token.revoke', id, { via: 'cli' });
    console.log(`revoked ${id}`);
    return 0;
  });
}
