import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import { authoriseHitExport } from '@/lib/auth/authorise';
import type { Actor } from '@/lib/auth/roles';
import { ISO_MICROS_SQL } from '@/lib/db/isoMicros';
import { streamQuery } from '@/lib/db/streamQuery';
import { writeRecords, type RecordFormat, type TextSink } from '@/lib/export/writeRecords';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { compatHitsSql } from './compatHitsSql';
import { COMPAT_COLUMNS, HIT_COLUMNS, type CompatRecord, type HitRecord } from './hitColumns';

// The one home of the hits' machine output (docs/architecture.md §9.3): `torwatch hits`, GET /api/v1/hits and the explorer's
// download all come through here — one column list (hitColumns.ts), one SELECT, one streaming writer.

/** Which hits: the explorer's filter (suppressed hidden unless asked for), or a time range (machine output: all). */
export type HitSelection = { filter: HitFilter } | { from?: Date; to?: Date; compat?: boolean };

const isCompat = (selection: HitSelection) => 'compat' in selection && Boolean(selection.compat);

function hitsSql(selection: HitSelection): Prisma.Sql {
  if (isCompat(selection)) return compatHitsSql(selection as { from?: Date; to?: Date });
  const where =
    'filter' in selection
      ? hitFilterSql(selection.filter)
      : Prisma.sql`evidence_valid AND (${selection.from ?? null}::timestamptz IS NULL OR ts >= ${selection.from ?? null})
          AND (${selection.to ?? null}::timestamptz IS NULL OR ts < ${selection.to ?? null})`;
  return Prisma.sql`
    SELECT ${Prisma.raw(ISO_MICROS_SQL('ts'))} AS "Timestamp", device_id AS "DeviceId", device_name AS "DeviceName",
           host(local_public_ip) AS "LocalPublicIP", host(local_ip) AS "LocalIP", host(remote_ip) AS "RemoteIP",
           remote_port AS "RemotePort", action_type AS "ActionType", direction AS "Direction",
           process_file_name AS "InitiatingProcessFileName", process_folder_path AS "InitiatingProcessFolderPath",
           relay_fingerprints AS "RelayFingerprints", relay_nicknames AS "RelayNicknames", relay_flags AS "RelayFlags",
           country AS "CountryCode", port_match AS "PortMatch", is_exit AS "IsExit", confidence AS "Confidence",
           status AS "Status", via_exit_address AS "ViaExitAddress", id::text AS "HitId", evidence AS "Evidence",
           precision AS "Precision", COALESCE(summary_events, 1) AS "Connections",
           ${Prisma.raw(ISO_MICROS_SQL('COALESCE(summary_last_seen, ts)'))} AS "LastSeen"
    FROM hit WHERE ${where} ORDER BY ts, device_id, remote_ip, id`;
}

/**
 * The selected hits as records, in batches from a database cursor, ordered by Timestamp, DeviceId, RemoteIP. Returns
 * the count. Analysts and admins, or a `read` token (the rows carry raw event data).
 */
export async function exportHitRecords(
  actor: Actor,
  selection: HitSelection,
  onRows: (rows: Array<HitRecord | CompatRecord>) => void | Promise<void>,
  batchSize = 5000,
): Promise<number> {
  authoriseHitExport(actor);
  const sql = hitsSql(selection);
  return streamQuery(sql.text, sql.values as unknown[], onRows, batchSize);
}

/** The selected hits as CSV or a JSON array, written to `write` with backpressure. Returns the count. */
export async function exportHits(
  actor: Actor,
  selection: HitSelection,
  format: RecordFormat,
  write: TextSink,
): Promise<number> {
  authoriseHitExport(actor); // before the header is written
  const columns: ReadonlyArray<string> = isCompat(selection) ? COMPAT_COLUMNS : HIT_COLUMNS;
  return writeRecords(columns, format, (onRows) => exportHitRecords(actor, selection, onRows), write);
}
