import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/withTransaction';
import { currentSecretKey, forgetOldKeyFiles, secretKeyRing } from './secretKey';
import { openSecret, sealSecret, type SealedSecret } from './secretStore';

/**
 * Re-seals every row not sealed with the current key (one transaction, rows locked), then forgets the .old key
 * files no row needs any more. Returns how many rows were re-sealed.
 */
export async function rotateSecrets(): Promise<{ resealed: number; removedKeyFiles: string[] }> {
  const current = currentSecretKey();
  const ring = secretKeyRing();
  let resealed = 0;
  await withTransaction(async (client) => {
    const { rows } = await client.query<SealedSecret & { name: string }>(
      `SELECT name, ciphertext, iv, auth_tag AS "authTag", key_id AS "keyId" FROM secret WHERE key_id <> $1 FOR UPDATE`,
      [current.id],
    );
    for (const row of rows) {
      const sealed = sealSecret(row.name, openSecret(row.name, row, ring), current);
      await client.query(
        `UPDATE secret SET ciphertext = $2, iv = $3, auth_tag = $4, key_id = $5, updated_at = now() WHERE name = $1`,
        [row.name, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
      );
      resealed++;
    }
  });
  const { rows } = await getPool().query<{ keyId: string }>('SELECT DISTINCT key_id AS "keyId" FROM secret');
  return { resealed, removedKeyFiles: forgetOldKeyFiles(new Set(rows.map((r) => r.keyId))) };
}
