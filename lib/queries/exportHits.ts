import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { streamQuery } from '@/lib/db/streamQuery';
import { hitFilterSql, type HitFilter } from '@/lib/hits/filters';
import { authoriseQuery } from './queryActor';

// Machine output of hits (DESIGN.md §4): the documented default columns, then ViaExitAddress, as `torwatch hits` prints.
export const HIT_EXPORT_COLUMNS = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'LocalPublicIP',
  'LocalIP',
  'RemoteIP',
  'RemotePort',
  'ActionType',
  'Direction',
  'InitiatingProcessFileName',
  'InitiatingProcessFolderPath',
  'RelayFingerprints',
  'RelayNicknames',
  'RelayFlags',
  'CountryCode',
  'PortMatch',
  'IsExit',
  'Confidence',
  'Status',
  'ViaExitAddress',
  'Evidence',
] as const;
export type HitExportRecord = Record<(typeof HIT_EXPORT_COLUMNS)[number], string | number | boolean | string[] | null>;

/** Every hit of the filter in machine-output shape, in batches, ordered by Timestamp, DeviceId, RemoteIP. Analysts+. */
export async function exportHits(
  actor: Actor,
  filter: HitFilter,
  onRows: (rows: HitExportRecord[]) => void | Promise<void>,
): Promise<number> {
  authoriseQuery(actor, 'analyst');
  const sql = Prisma.sql`
    SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "Timestamp", device_id AS "DeviceId",
           device_name AS "DeviceName", host(local_public_ip) AS "LocalPublicIP", host(local_ip) AS "LocalIP",
           host(remote_ip) AS "RemoteIP", remote_port AS "RemotePort", action_type AS "ActionType", direction AS "Direction",
           process_file_name AS "InitiatingProcessFileName", process_folder_path AS "InitiatingProcessFolderPath",
           relay_fingerprints AS "RelayFingerprints", relay_nicknames AS "RelayNicknames", relay_flags AS "RelayFlags",
           country AS "CountryCode", port_match AS "PortMatch", is_exit AS "IsExit", confidence AS "Confidence",
           status AS "Status", via_exit_address AS "ViaExitAddress", evidence AS "Evidence"
    FROM hit WHERE ${hitFilterSql(filter)} ORDER BY ts, device_id, remote_ip, id`;
  return streamQuery<HitExportRecord>(sql.text, sql.values as unknown[], onRows);
}
