import { createHash, randomBytes } from 'node:crypto';
import { getPrisma } from '@/lib/db/client';
import type { Actor, TokenScope } from './roles';

// Machine tokens (`Authorization: Bearer tw_…`): 32 random bytes, shown once, stored as a sha256 hash. A token
// identifies itself by its first characters (the prefix) in lists; it has a scope, an optional expiry, a
// last-used time and can be revoked.
const TOKEN_PREFIX = 'tw_';
const LAST_USED_RESOLUTION_MS = 60_000; // last_used_at is refreshed at most once a minute per token

export interface ApiTokenSummary {
  id: string;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function hashApiToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Creates a token; the returned `secret` is the only time the token is ever visible. */
export async function createApiToken(input: {
  name: string;
  scope: TokenScope;
  expiresAt?: Date | null;
  createdBy?: string | null;
}): Promise<{ token: ApiTokenSummary; secret: string }> {
  const name = input.name.trim();
  if (!name) throw new Error('a token needs a name');
  if (name.length > 100) throw new Error('a token name is at most 100 characters');
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    throw new Error(`expiry ${input.expiresAt.toISOString()} is in the past`);
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await getPrisma().apiToken.create({
    data: {
      name,
      scope: input.scope,
      tokenHash: hashApiToken(secret),
      prefix: secret.slice(0, 10),
      expiresAt: input.expiresAt ?? null,
      createdBy: input.createdBy ?? null,
    },
  });
  return { token: toSummary(row), secret };
}

/** The actor a bearer secret stands for, or null when it is unknown, revoked or expired. */
export async function verifyApiToken(secret: string, now = new Date()): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const prisma = getPrisma();
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashApiToken(secret) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { kind: 'token', id: row.id, label: row.name, role: null, scope: row.scope as TokenScope };
}

export async function listApiTokens(): Promise<ApiTokenSummary[]> {
  const rows = await getPrisma().apiToken.findMany({ orderBy: { createdAt: 'desc' } });
  return rows.map(toSummary);
}

/** Revokes a token; false when no such token exists or it was already revoked. */
export async function revokeApiToken(id: string): Promise<boolean> {
  const { count } = await getPrisma().apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

function toSummary(row: Omit<ApiTokenSummary, 'scope'> & { scope: string }): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as TokenScope,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
