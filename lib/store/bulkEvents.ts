import type pg from 'pg';
import { updateDeviceSightings } from '@/lib/ingest/staging';
import { insertEventsSql, prepareEventsSql } from './eventSql';

// Set-based loading of generated events in the wide shape (benchmarks, the 100 M check): the same statements the
// staging loader runs (docs/architecture.md §4.6), on a temporary table filled by the caller's SELECT. Inserting into
// network_event_wide goes row by row through its trigger: fine for fixtures, slow for millions of rows.

const WIDE_TABLE = `
  CREATE TEMP TABLE bulk_events (
    kind char(1) NOT NULL DEFAULT 'e', ts timestamptz NOT NULL, device_id text NOT NULL, device_name text, action_type text,
    direction text NOT NULL, remote_ip inet, remote_port int, remote_url text, local_ip inet, local_port int, protocol text,
    process_file_name text, process_folder_path text, process_sha256 text, process_command_line text,
    process_account_name text, process_id bigint, report_id text NOT NULL, source text NOT NULL
  )`;

/**
 * Inserts the rows of `select` (its columns named by `columns`, from the wide column names) as events of batch
 * `batchId`; events whose identity is stored are skipped. Returns how many were inserted. `params` are the
 * SELECT's parameters ($1 …).
 */
export async function bulkInsertWideEvents(
  client: pg.ClientBase,
  batchId: number,
  columns: readonly string[],
  select: string,
  params: unknown[] = [],
): Promise<number> {
  await client.query('DROP TABLE IF EXISTS pg_temp.bulk_events');
  await client.query(WIDE_TABLE);
  try {
    await client.query(`INSERT INTO bulk_events (${columns.join(', ')}) ${select}`, params);
    await client.query('ANALYZE bulk_events');
    for (const sql of prepareEventsSql('bulk_events')) await client.query(sql);
    const inserted = await client.query(insertEventsSql('bulk_events', true), [batchId]);
    // Devices seen, as ingest records them: the stored name wins, first/last seen widen.
    await client.query(
      updateDeviceSightings(`SELECT device_id, max(device_name) AS device_name, min(ts) AS first_seen, max(ts) AS last_seen
         FROM bulk_events GROUP BY device_id`),
    );
    await client.query('UPDATE ingest_batch SET events_at = COALESCE(events_at, now()) WHERE id = $1', [batchId]);
    return inserted.rowCount ?? 0;
  } finally {
    await client.query('DROP TABLE IF EXISTS pg_temp.bulk_events');
  }
}
