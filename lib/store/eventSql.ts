// Writing events into the compact network_event (docs/architecture.md §4.6) from a table of wide event rows: the
// staging table of ingest (lib/ingest/staging.ts) with its `kind = 'e'` rows. First the month partitions and the
// dictionary rows the events need, then one INSERT … SELECT that swaps each string for its key. Set-based: a hash
// join per dictionary, never a lookup per row.

import type pg from 'pg';

/** A staged event's text columns that the dictionaries key; empty strings never reach here (empty → null). */
const PROCESS_MATCH = `COALESCE(p.file_name, '') = COALESCE(s.process_file_name, '')
  AND COALESCE(p.folder_path, '') = COALESCE(s.process_folder_path, '')
  AND COALESCE(p.sha256, '') = COALESCE(s.process_sha256, '')
  AND (s.process_file_name IS NOT NULL OR s.process_folder_path IS NOT NULL OR s.process_sha256 IS NOT NULL)`;

/** The SHA-256 of a command line; the empty bytea stands for "no command line" (no SHA-256 is empty). */
const COMMAND_SHA = (column: string) => `COALESCE(sha256(convert_to(${column}, 'UTF8')), '\\x'::bytea)`;
const COMMAND_MATCH = `COALESCE(c.command_sha256, '\\x'::bytea) = ${COMMAND_SHA('s.process_command_line')}
  AND COALESCE(c.account_name, '') = COALESCE(s.process_account_name, '')
  AND (s.process_command_line IS NOT NULL OR s.process_account_name IS NOT NULL)`;

/** The one-letter code of a wide event's source (`defender` | `zeek`), as event_transport stores it. */
const SOURCE_CODE = (column: string) => `(CASE ${column} WHEN 'zeek' THEN 'z' ELSE 'd' END)::"char"`;

/** The event_transport row of a staged event: exact, null protocol apart from '', and still a hash join. */
const TRANSPORT_MATCH = `t.source = ${SOURCE_CODE('s.source')} AND COALESCE(t.protocol, '') = COALESCE(s.protocol, '')
  AND (t.protocol IS NULL) = (s.protocol IS NULL)`;

/**
 * Statements (no parameters) that create the month partitions and the dictionary rows the staged events of
 * `source` need. Devices get a row with only their id (name and first/last seen are the caller's upsert).
 */
export function prepareEventsSql(source: string): string[] {
  const events = `FROM ${source} s WHERE s.kind = 'e'`;
  // Only values not stored yet are offered (NOT EXISTS; ON CONFLICT for a racing writer): an INSERT draws a key from
  // the sequence for every row it offers, also those ON CONFLICT skips (docs/architecture.md §4.6).
  const missing = (table: string, match: string) => `AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${match})`;
  return [
    `SELECT ensure_event_partitions(ARRAY(SELECT DISTINCT date_trunc('month', s.ts, 'UTC') ${events}))`,
    `INSERT INTO device (device_id) SELECT DISTINCT s.device_id ${events} ${missing('device', 't.device_id = s.device_id')}
     ORDER BY 1 ON CONFLICT DO NOTHING`,
    `INSERT INTO process_image (file_name, folder_path, sha256)
     SELECT DISTINCT s.process_file_name, s.process_folder_path, s.process_sha256 ${events}
       AND (s.process_file_name IS NOT NULL OR s.process_folder_path IS NOT NULL OR s.process_sha256 IS NOT NULL)
       ${missing(
         'process_image',
         `t.file_name IS NOT DISTINCT FROM s.process_file_name AND t.folder_path IS NOT DISTINCT FROM s.process_folder_path
          AND t.sha256 IS NOT DISTINCT FROM s.process_sha256`,
       )}
     ON CONFLICT DO NOTHING`,
    `INSERT INTO process_command (command_line, account_name, command_sha256)
     SELECT DISTINCT ON (${COMMAND_SHA('s.process_command_line')}, s.process_account_name)
            s.process_command_line, s.process_account_name, sha256(convert_to(s.process_command_line, 'UTF8')) ${events}
       AND (s.process_command_line IS NOT NULL OR s.process_account_name IS NOT NULL)
       ${missing(
         'process_command',
         `t.command_sha256 IS NOT DISTINCT FROM sha256(convert_to(s.process_command_line, 'UTF8'))
          AND t.account_name IS NOT DISTINCT FROM s.process_account_name`,
       )}
     ON CONFLICT DO NOTHING`,
    `INSERT INTO device_name_dict (name) SELECT DISTINCT s.device_name ${events} AND s.device_name IS NOT NULL
       ${missing('device_name_dict', 't.name = s.device_name')} ON CONFLICT DO NOTHING`,
    `INSERT INTO action_type (name) SELECT DISTINCT s.action_type ${events} AND s.action_type IS NOT NULL
       ${missing('action_type', 't.name = s.action_type')} ON CONFLICT DO NOTHING`,
    `INSERT INTO event_transport (source, protocol) SELECT DISTINCT ${SOURCE_CODE('s.source')}, s.protocol ${events}
       ${missing('event_transport', `t.source = ${SOURCE_CODE('s.source')} AND t.protocol IS NOT DISTINCT FROM s.protocol`)}
     ON CONFLICT DO NOTHING`,
  ];
}

/** The compact columns an INSERT into network_event fills (id and the rest default). */
export const COMPACT_EVENT_COLUMNS = [
  'ts',
  'report_num',
  'process_id',
  'device_key',
  'batch_id',
  'process_key',
  'command_key',
  'name_key',
  'remote_port',
  'local_port',
  'action_key',
  'transport_key',
  'direction',
  'report_text',
  'remote_ip',
  'local_ip',
  'remote_url',
] as const;

/** The event identity (docs/architecture.md §4.6) of rows `a` and `b` is the same. */
const SAME_IDENTITY = (a: string, b: string) =>
  `${a}.ts = ${b}.ts AND ${a}.device_key = ${b}.device_key AND ${a}.report_num = ${b}.report_num
   AND ${a}.report_text = ${b}.report_text`;

/**
 * INSERT … SELECT of the staged events of `source` into network_event, $1 = batch id. `skipStored` skips events whose
 * identity is stored, and of the staged rows sharing an identity keeps the first (its `ctid`: the staging table is
 * filled by one COPY, in the file's order) — what ON CONFLICT DO NOTHING did when the identity was a unique index.
 * The identity (`device_key`, `report_text`, `ts`, `report_num`, docs/architecture.md §4.6) is checked for the staged
 * events inside their device's stored span (STORED_SPAN) against the stored events of those events' time range (the
 * BRIN on `ts`); exact because the caller holds the event-writer lock (no other batch writes meanwhile) and widens
 * the devices' spans only after this statement. Without `skipStored` every staged event is inserted.
 */
export function insertEventsSql(source: string, skipStored: boolean): string {
  const staged = (extra: string) => `
    SELECT ${extra}s.ts, COALESCE(r.num, 0) AS report_num, s.process_id, d.device_key, $1::int AS batch_id, p.process_key,
           c.command_key, n.name_key, s.remote_port, s.local_port, a.action_key, t.transport_key,
           event_direction_code(s.direction) AS direction,
           CASE WHEN r.num IS NULL THEN s.report_id ELSE '' END AS report_text, s.remote_ip, s.local_ip, s.remote_url
    FROM ${source} s
    CROSS JOIN LATERAL (SELECT report_num(s.report_id) AS num) r
    JOIN device d ON d.device_id = s.device_id
    LEFT JOIN process_image p ON ${PROCESS_MATCH}
    LEFT JOIN process_command c ON ${COMMAND_MATCH}
    LEFT JOIN device_name_dict n ON n.name = s.device_name
    LEFT JOIN action_type a ON a.name = s.action_type
    LEFT JOIN event_transport t ON ${TRANSPORT_MATCH}
    WHERE s.kind = 'e'`;
  const columns = COMPACT_EVENT_COLUMNS.join(', ');
  if (!skipStored) return `INSERT INTO network_event (${columns}) ${staged('')}`;
  // Joins and a left join rather than NOT EXISTS: Citus (§17.2) runs no correlated subquery over a distributed
  // table; so `stored` (the staged identities found stored) is a join it pushes to the workers.
  return `
    WITH x AS (
      SELECT DISTINCT ON (ts, device_key, report_num, report_text) * FROM (
        ${staged('s.ctid AS staged_at, d.first_seen AS seen_from, d.last_seen AS seen_to, ')}) y
      ORDER BY ts, device_key, report_num, report_text, staged_at
    ), candidate AS (
      SELECT ts, device_key, report_num, report_text FROM x WHERE ${STORED_SPAN('x.ts', 'x.seen_from', 'x.seen_to')}
    ), stored AS (
      ${storedIdentities('candidate')}
    )
    INSERT INTO network_event (${columns})
    SELECT ${COMPACT_EVENT_COLUMNS.map((c) => `x.${c}`).join(', ')}
    FROM x LEFT JOIN stored e ON ${SAME_IDENTITY('e', 'x')}
    WHERE e.ts IS NULL
    ORDER BY x.ts`;
}

/**
 * An event can repeat a stored identity only inside its device's stored span: every writer widens the device's
 * first/last seen over the events it stores, in the same transaction (docs/architecture.md §4.6). A device without
 * stored events (null span) has nothing to repeat.
 */
const STORED_SPAN = (ts: string, from: string, to: string) => `${ts} >= ${from} AND ${ts} <= ${to}`;

/**
 * The distinct identities of `candidates` (a relation with ts, device_key, report_num, report_text) found among the
 * stored events, other than those of `exceptBatch`: a hash join with the stored events of the candidates' time range,
 * which the BRIN on `ts` and the month partitions narrow (both bounds are known when the scan starts).
 */
function storedIdentities(candidates: string, exceptBatch = ''): string {
  return `SELECT DISTINCT e.ts, e.device_key, e.report_num, e.report_text
      FROM network_event e JOIN ${candidates} k ON ${SAME_IDENTITY('e', 'k')}
      WHERE e.ts >= (SELECT min(ts) FROM ${candidates}) AND e.ts <= (SELECT max(ts) FROM ${candidates})${exceptBatch}`;
}

/**
 * Whether an event of batch `batchId` has the identity of another stored event (stored before, or repeated in the
 * batch): the direct loader's check after its COPY, which then gives way to the staging loader (docs/architecture.md
 * §4.6). The caller holds the event-writer lock and has not widened the devices' spans for this batch yet:
 * - repeats inside the batch: one aggregate over the batch's rows (BRIN on batch_id);
 * - events stored before: only the batch's events inside their device's stored span can repeat one (STORED_SPAN) —
 *   telemetry newer than what a device has stored (the daily case) or of a new device (a first load) checks nothing.
 */
export async function batchRepeatsIdentity(client: pg.ClientBase, batchId: number): Promise<boolean> {
  const inBatch = await client.query(
    `SELECT 1 FROM network_event WHERE batch_id = $1
     GROUP BY ts, device_key, report_num, report_text HAVING count(*) > 1 LIMIT 1`,
    [batchId],
  );
  if (inBatch.rowCount) return true;
  const stored = await client.query(
    `WITH candidate AS MATERIALIZED (
       SELECT n.ts, n.device_key, n.report_num, n.report_text FROM network_event n JOIN device d ON d.device_key = n.device_key
       WHERE n.batch_id = $1 AND ${STORED_SPAN('n.ts', 'd.first_seen', 'd.last_seen')}
     )
     SELECT 1 FROM (${storedIdentities('candidate', ' AND e.batch_id <> $1')}) repeated LIMIT 1`,
    [batchId],
  );
  return (stored.rowCount ?? 0) > 0;
}
