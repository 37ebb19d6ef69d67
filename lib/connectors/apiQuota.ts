import { getPool } from '@/lib/db/pool';

// A calls-per-window quota shared by every process that calls one provider for one tenant — the worker's scheduled
// runs, `torwatch connector run`, two connectors on the same tenant (docs/architecture.md §6.5.2). Each call is a row
// of `connector_api_call` (quota key, time); reserving one takes a transaction advisory lock on the key, deletes the
// rows that left the window, and inserts its own only while fewer than `limit` remain. Otherwise it waits until the
// oldest one leaves the window and tries again. Times are the database's clock, the one every process shares.

const LOCK_SPACE = 0x7051; // 'pQ': quota reservations

/** Waits until a call under `key` fits in `limit` calls per `windowMs`, and counts it. */
export async function reserveCall(key: string, limit: number, windowMs: number): Promise<void> {
  for (;;) {
    const waitMs = await tryReserve(key, limit, windowMs);
    if (waitMs === null) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(5, waitMs + 5)));
  }
}

/** null: reserved; else how long until the oldest call in the window leaves it. */
async function tryReserve(key: string, limit: number, windowMs: number): Promise<number | null> {
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, key]);
    await client.query(
      `DELETE FROM connector_api_call WHERE quota_key = $1 AND at <= clock_timestamp() - $2 * interval '1 millisecond'`,
      [key, windowMs],
    );
    const { rows } = await client.query<{ calls: number; wait_ms: number | null }>(
      `SELECT count(*)::int AS calls,
              (extract(epoch FROM min(at) + $2 * interval '1 millisecond' - clock_timestamp()) * 1000)::float8 AS wait_ms
       FROM (SELECT at FROM connector_api_call WHERE quota_key = $1 ORDER BY at DESC LIMIT $3) recent`,
      [key, windowMs, limit],
    );
    if (rows[0].calls < limit) {
      await client.query('INSERT INTO connector_api_call (quota_key, at) VALUES ($1, clock_timestamp())', [key]);
      await client.query('COMMIT');
      return null;
    }
    await client.query('COMMIT');
    return rows[0].wait_ms ?? 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
