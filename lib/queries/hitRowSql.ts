import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import { getPool } from '@/lib/db/pool';

/** One hit as the dashboard shows it (a plain DTO: strings, numbers, booleans; times ISO UTC with microseconds). */
export interface HitRow {
  id: string;
  ts: string;
  deviceId: string;
  deviceName: string | null;
  localIp: string | null;
  localPublicIp: string | null;
  remoteIp: string;
  remotePort: number | null;
  actionType: string | null;
  direction: string;
  processFileName: string | null;
  processFolderPath: string | null;
  processSha256: string | null;
  relayFingerprints: string[];
  relayNicknames: string[];
  relayFlags: string[];
  country: string | null;
  portMatch: boolean;
  isExit: boolean;
  viaExitAddress: boolean;
  confidence: string;
  status: string;
  /** `event`: the event's own time; `hour`: from an hourly summary (docs/architecture.md §16.3). */
  precision: 'event' | 'hour';
  /** A summary hit's connections in the hour and the last of them (null for an event hit). */
  summaryEvents: number | null;
  summaryLastSeen: string | null;
}

/** The select list for HitRow over unqualified `hit` columns. */
export const HIT_ROW_COLUMNS =
  Prisma.raw(`id::text AS "id", to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "ts",
  device_id AS "deviceId", device_name AS "deviceName", host(local_ip) AS "localIp", host(local_public_ip) AS "localPublicIp",
  host(remote_ip) AS "remoteIp", remote_port AS "remotePort", action_type AS "actionType", direction,
  process_file_name AS "processFileName", process_folder_path AS "processFolderPath", process_sha256 AS "processSha256",
  relay_fingerprints AS "relayFingerprints", relay_nicknames AS "relayNicknames", relay_flags AS "relayFlags", country,
  port_match AS "portMatch", is_exit AS "isExit", via_exit_address AS "viaExitAddress", confidence, status,
  precision, summary_events AS "summaryEvents",
  to_char(summary_last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "summaryLastSeen"`);

/** Runs a Prisma.sql query on the pg pool (plain JS values back: text, numbers, arrays, no BigInt). */
export async function queryRows<T>(sql: Prisma.Sql): Promise<T[]> {
  const { rows } = await getPool().query(sql.text, sql.values as unknown[]);
  return rows as T[];
}
