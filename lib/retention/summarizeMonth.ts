import type pg from 'pg';
import { ensureMonthPartitions, listMonthPartitions, monthPartitionName, type MonthPartition } from './monthPartitions';

// Hourly connection summaries (docs/architecture.md §16.1) are made when raw events leave: applyRetention summarises
// a network_event month partition in the transaction that drops it, so the raw window pays nothing for them (on the
// held-out shape they cost more bytes than the events themselves). Set-based: one aggregate of the partition, one
// upsert.

/**
 * The bit of an event's direction in connection_summary.directions (1 outbound, 2 inbound, 4 listening, 8 unknown),
 * from network_event.direction's one-letter code (o, i, l, u).
 */
export const DIRECTION_BIT_SQL = `CASE e.direction WHEN 'o' THEN 1 WHEN 'i' THEN 2 WHEN 'l' THEN 4 ELSE 8 END`;

/**
 * Summarises every event of one network_event month partition into connection_summary (its month partition made
 * when missing). Returns the summary rows written. A month dropped before and ingested again already has summary
 * rows: they merge as a union — first/last seen widen, action types and direction bits add up — and `events` keeps
 * the larger of the two counts, so the same telemetry summarised twice counts once (exact whenever one ingest of the
 * month holds the other's events of that hour, e.g. the same file again or a longer export).
 */
export async function summarizeMonth(client: pg.ClientBase, partition: MonthPartition): Promise<number> {
  const target = monthPartitionName('connection_summary', partition.from);
  const exists = (await listMonthPartitions(client, 'connection_summary')).some((p) => p.name === target);
  const { rows } = await client.query<{ citus: boolean }>(
    `SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus`,
  );
  // Events without a remote address cannot meet a relay: the summaries are what retro matching consults. Names come
  // from the catalogue (listMonthPartitions, matched against the month pattern) or from monthPartitionName.
  const aggregate = `
     SELECT date_trunc('hour', e.ts, 'UTC') AS hour, e.device_key, e.remote_ip, e.remote_port, e.process_key,
            count(*)::int AS events, min(e.ts) AS first_seen, max(e.ts) AS last_seen,
            COALESCE(array_agg(DISTINCT e.action_key ORDER BY e.action_key) FILTER (WHERE e.action_key IS NOT NULL), '{}') AS action_keys,
            bit_or(${DIRECTION_BIT_SQL})::smallint AS directions
     FROM "${partition.name}" e
     WHERE e.remote_ip IS NOT NULL
     GROUP BY 1, e.device_key, e.remote_ip, e.remote_port, e.process_key`;
  const columns = `hour, device_key, remote_ip, remote_port, process_key, events, first_seen, last_seen, action_keys, directions`;
  if (!exists && !rows[0].citus) {
    // A month summarised for the first time: filled as a table of its own, then attached — ATTACH builds its indexes
    // in one sorted pass each, several times faster than inserting into them row by row (and tighter).
    await client.query(
      `CREATE TABLE "${target}" (LIKE connection_summary INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
    );
    const inserted = await client.query(`INSERT INTO "${target}" (${columns}) ${aggregate} ORDER BY remote_ip, hour`);
    await client.query(
      `ALTER TABLE connection_summary ATTACH PARTITION "${target}"
       FOR VALUES FROM ('${partition.from.toISOString()}') TO ('${partition.to.toISOString()}')`,
    );
    return inserted.rowCount ?? 0;
  }
  await ensureMonthPartitions(client, 'connection_summary', [partition.from]);
  const upserted = await client.query(
    `INSERT INTO connection_summary AS s (${columns}) ${aggregate}
     ON CONFLICT (device_key, remote_ip, remote_port, process_key, hour) DO UPDATE SET
       events = GREATEST(s.events, EXCLUDED.events),
       first_seen = LEAST(s.first_seen, EXCLUDED.first_seen),
       last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen),
       action_keys = ARRAY(SELECT DISTINCT k FROM unnest(s.action_keys || EXCLUDED.action_keys) AS k ORDER BY k),
       directions = s.directions | EXCLUDED.directions`,
  );
  return upserted.rowCount ?? 0;
}
