import type pg from 'pg';
import { ensureMonthPartitions } from './monthPartitions';

// Hourly connection summaries (docs/architecture.md §16.1), maintained by ingest inside the batch's transaction.
// The batch's own rows are the ones it inserted: a duplicate skipped by the identity keeps its first batch_id, so
// summarising `WHERE batch_id = $1` counts only what this batch actually stored — ingesting a file twice adds
// nothing, whichever loader ran. Set-based: one aggregate into a temp table, one upsert.

/**
 * The bit of an event's direction in connection_summary.directions (1 outbound, 2 inbound, 4 listening, 8 unknown),
 * from network_event.direction's one-letter code (o, i, l, u).
 */
export const DIRECTION_BIT_SQL = `CASE e.direction WHEN 'o' THEN 1 WHEN 'i' THEN 2 WHEN 'l' THEN 4 ELSE 8 END`;

export interface SummarizedBatch {
  /** Summary rows the batch created or added to. */
  rows: number;
}

/** Adds the batch's stored network events to connection_summary. Runs in the batch's transaction, after its rows. */
export async function summarizeBatch(client: pg.ClientBase, batchId: number): Promise<SummarizedBatch> {
  await client.query('DROP TABLE IF EXISTS batch_summary');
  // Events without a remote address cannot meet a relay: the summaries are what retro matching consults.
  await client.query(
    `CREATE TEMP TABLE batch_summary ON COMMIT DROP AS
     SELECT date_trunc('hour', e.ts, 'UTC') AS hour, e.device_key, e.remote_ip, e.remote_port, e.process_key,
            count(*)::int AS events, min(e.ts) AS first_seen, max(e.ts) AS last_seen,
            COALESCE(array_agg(DISTINCT e.action_key ORDER BY e.action_key) FILTER (WHERE e.action_key IS NOT NULL), '{}') AS action_keys,
            bit_or(${DIRECTION_BIT_SQL})::smallint AS directions
     FROM network_event e
     WHERE e.batch_id = $1 AND e.remote_ip IS NOT NULL
     GROUP BY 1, e.device_key, e.remote_ip, e.remote_port, e.process_key`,
    [batchId],
  );
  const months = await client.query<{ month: Date }>(
    `SELECT DISTINCT date_trunc('month', hour, 'UTC') AS month FROM batch_summary`,
  );
  if (months.rows.length === 0) return { rows: 0 };
  await ensureMonthPartitions(
    client,
    'connection_summary',
    months.rows.map((r) => r.month),
  );
  const upserted = await client.query(
    `INSERT INTO connection_summary AS s (hour, device_key, remote_ip, remote_port, process_key, events, first_seen,
                                          last_seen, action_keys, directions)
     SELECT hour, device_key, remote_ip, remote_port, process_key, events, first_seen, last_seen, action_keys, directions
     FROM batch_summary
     ON CONFLICT (device_key, remote_ip, remote_port, process_key, hour) DO UPDATE SET
       events = s.events + EXCLUDED.events,
       first_seen = LEAST(s.first_seen, EXCLUDED.first_seen),
       last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen),
       action_keys = ARRAY(SELECT DISTINCT k FROM unnest(s.action_keys || EXCLUDED.action_keys) AS k ORDER BY k),
       directions = s.directions | EXCLUDED.directions`,
  );
  return { rows: upserted.rowCount ?? 0 };
}

/**
 * Takes events out of the summaries before they are deleted (a batch deletion, the demo purge): `batchIdsSql` (with
 * `values` as its parameters) selects the batches whose events are about to go. Counts go down by what leaves; a row left with none is removed; first/last seen,
 * action types and directions are recomputed from the hour's remaining raw events when there are any. Runs in the deleting transaction.
 */
export async function unsummarizeEvents(client: pg.ClientBase, batchIdsSql: string, values: unknown[]): Promise<void> {
  await client.query('DROP TABLE IF EXISTS leaving_summary');
  await client.query(
    `CREATE TEMP TABLE leaving_summary ON COMMIT DROP AS
     SELECT date_trunc('hour', e.ts, 'UTC') AS hour, e.device_key, e.remote_ip, e.remote_port, e.process_key,
            count(*)::int AS events
     FROM network_event e
     WHERE e.batch_id IN (${batchIdsSql}) AND e.remote_ip IS NOT NULL
     GROUP BY 1, e.device_key, e.remote_ip, e.remote_port, e.process_key`,
    values,
  );
  const key = `s.device_key = l.device_key AND s.remote_ip = l.remote_ip
    AND s.remote_port IS NOT DISTINCT FROM l.remote_port AND s.process_key IS NOT DISTINCT FROM l.process_key
    AND s.hour = l.hour`;
  await client.query(`DELETE FROM connection_summary s USING leaving_summary l WHERE ${key} AND s.events <= l.events`);
  await client.query(
    `UPDATE connection_summary s SET events = s.events - l.events,
       first_seen = COALESCE(left_raw.first_seen, s.first_seen), last_seen = COALESCE(left_raw.last_seen, s.last_seen),
       action_keys = COALESCE(left_raw.action_keys, s.action_keys),
       directions = COALESCE(left_raw.directions, s.directions)
     FROM leaving_summary l
     CROSS JOIN LATERAL (
       SELECT min(e.ts) AS first_seen, max(e.ts) AS last_seen,
              CASE WHEN count(*) > 0 THEN COALESCE(array_agg(DISTINCT e.action_key ORDER BY e.action_key)
                                                     FILTER (WHERE e.action_key IS NOT NULL), '{}') END AS action_keys,
              bit_or(${DIRECTION_BIT_SQL})::smallint AS directions
       FROM network_event e
       WHERE e.device_key = l.device_key AND e.remote_ip = l.remote_ip
         AND e.remote_port IS NOT DISTINCT FROM l.remote_port AND e.process_key IS NOT DISTINCT FROM l.process_key
         AND e.ts >= l.hour AND e.ts < l.hour + interval '1 hour'
         AND e.batch_id NOT IN (${batchIdsSql})
     ) left_raw
     WHERE ${key}`,
    values,
  );
}
