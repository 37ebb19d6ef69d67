import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { currentSecretKey, secretKeyRing, type SecretKey } from './secretKey';

// One place for secrets at rest (webhook:<id>, connector:<id>:<field>, smtp:password): AES-256-GCM, a fresh 96-bit IV
// per write, the name as associated data (a row copied under another name does not open). Values never reach a log
// or the audit trail from here; errors name the secret, never its value. The optional last argument is a pg client
// (inside the caller's transaction) for callers that need the write to commit with their own rows.

export type SecretQueryable = pg.Pool | pg.PoolClient | pg.Client;

export class SecretStoreError extends Error {}

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

export function sealSecret(name: string, value: string, key: SecretKey = currentSecretKey()): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: key.id };
}

export function openSecret(name: string, sealed: SealedSecret, ring: SecretKey[] = secretKeyRing()): string {
  const key = ring.find((k) => k.id === sealed.keyId);
  if (!key)
    throw new SecretStoreError(
      `secret "${name}" was sealed with key ${sealed.keyId}, which is not configured (TORWATCH_SECRET_KEY, TORWATCH_SECRET_KEY_PREVIOUS)`,
    );
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.iv);
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretStoreError(`secret "${name}" does not decrypt with key ${key.id}: the row was altered`);
  }
}

function checkName(name: string): void {
  if (!/^[a-z][a-z0-9_-]*(:[A-Za-z0-9_.-]+)+$/.test(name) || name.length > 200)
    throw new SecretStoreError(`"${name.slice(0, 60)}" is not a secret name (kind:id[:field], e.g. webhook:3)`);
}

export async function putSecret(name: string, value: string, db: SecretQueryable = getPool()): Promise<void> {
  checkName(name);
  const sealed = sealSecret(name, value);
  await db.query(
    `
    INSERT INTO secret (name, ciphertext, iv, auth_tag, key_id) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
      key_id = EXCLUDED.key_id, updated_at = now()`,
    [name, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}

export async function getSecret(name: string, db: SecretQueryable = getPool()): Promise<string | null> {
  const { rows } = await db.query<SealedSecret>(
    `SELECT ciphertext, iv, auth_tag AS "authTag", key_id AS "keyId" FROM secret WHERE name = $1`,
    [name],
  );
  return rows[0] ? openSecret(name, rows[0]) : null;
}

export async function deleteSecret(name: string, db: SecretQueryable = getPool()): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM secret WHERE name = $1', [name]);
  return Boolean(rowCount);
}

export async function hasSecret(name: string, db: SecretQueryable = getPool()): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM secret WHERE name = $1', [name]);
  return rows.length > 0;
}
