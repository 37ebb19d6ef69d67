import pg from 'pg';
import { withTransaction } from '@/lib/db/withTransaction';
import { currentSecretKey } from './secretKey';
import { sealSecret } from './secretStore';

/**
 * Seals the plaintext secrets a migration moved into secret_plaintext_pending (SQL cannot encrypt: the key is not in
 * the database) and drops that table, in one transaction. Runs after migrations at every start; a no-op once done.
 */
export async function sealPendingSecrets(connectionString: string, log?: (line: string) => void): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await withTransaction(
      async () => {
        // Two processes starting at once (serve and a command): one seals, the other then finds the table gone.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('torwatch:secret_plaintext_pending'))`);
        const { rows: exists } = await client.query(
          `SELECT to_regclass('secret_plaintext_pending') IS NOT NULL AS "ok"`,
        );
        if (!exists[0].ok) return 0;
        const { rows } = await client.query<{ name: string; value: string }>(
          'SELECT name, value FROM secret_plaintext_pending FOR UPDATE',
        );
        const key = currentSecretKey(log);
        for (const row of rows) {
          const sealed = sealSecret(row.name, row.value, key);
          await client.query(
            `INSERT INTO secret (name, ciphertext, iv, auth_tag, key_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING`,
            [row.name, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
          );
        }
        await client.query('DROP TABLE secret_plaintext_pending');
        return rows.length;
      },
      { client },
    );
  } finally {
    await client.end();
  }
}
