import { getPool } from '@/lib/db/pool';

// A calls-per-window quota shared by every process that calls one provider for one tenant — the worker's scheduled
// runs, `torwatch connector run`, two connectors on the same tenant (docs/architecture.md §6.5.2). Each call is a row
// of `connector_api_call` (quota key, time). The database function connector_reserve_call (migration
// 20261130190800_connector_api_call) reserves one in a single round trip: under a transaction advisory lock on the
// key it deletes the rows that left the window and inserts its own only while fewer than `limit` remain; otherwise
// it answers how long until the oldest one leaves, and the caller waits and asks again. Times are the database's
// clock, the one every process shares.

/** Waits until a call under `key` fits in `limit` calls per `windowMs`, and counts it. */
export async function reserveCall(key: string, limit: number, windowMs: number): Promise<void> {
  for (;;) {
    const { rows } = await getPool().query<{ wait_ms: number | null }>(
      'SELECT connector_reserve_call($1, $2, $3) AS wait_ms',
      [key, limit, windowMs],
    );
    const waitMs = rows[0].wait_ms;
    if (waitMs === null) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(5, waitMs + 5)));
  }
}
