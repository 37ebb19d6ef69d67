import 'server-only';
import { streamQuery } from '@/lib/db/streamQuery';
import type { HitRecord } from './hitColumns';
import { ISO_MICROS_SQL } from './isoMicros';

export interface HitRange {
  from?: Date; // inclusive, on the event time
  to?: Date; // exclusive
}

/** Default (time-aware) hits in machine-output shape, ordered by Timestamp, DeviceId, RemoteIP. */
export async function listHits(
  range: HitRange,
  onRows: (rows: HitRecord[]) => void | Promise<void>,
  batchSize = 5000,
): Promise<number> {
  return streamQuery<HitRecord>(
    `
      SELECT ${ISO_MICROS_SQL('h.ts')} AS "Timestamp", h.device_id AS "DeviceId", h.device_name AS "DeviceName",
             host(h.local_public_ip) AS "LocalPublicIP", host(h.local_ip) AS "LocalIP", host(h.remote_ip) AS "RemoteIP",
             h.remote_port AS "RemotePort", h.action_type AS "ActionType", h.direction AS "Direction",
             h.process_file_name AS "InitiatingProcessFileName", h.process_folder_path AS "InitiatingProcessFolderPath",
             h.relay_fingerprints AS "RelayFingerprints", h.relay_nicknames AS "RelayNicknames",
             h.relay_flags AS "RelayFlags", h.country AS "CountryCode", h.port_match AS "PortMatch",
             h.is_exit AS "IsExit", h.confidence AS "Confidence", h.status AS "Status",
             h.via_exit_address AS "ViaExitAddress", h.evidence AS "Evidence"
      FROM hit h
      WHERE h.evidence_valid
        AND ($1::timestamptz IS NULL OR h.ts >= $1) AND ($2::timestamptz IS NULL OR h.ts < $2)
      ORDER BY h.ts, h.device_id, h.remote_ip, h.id`,
    [range.from ?? null, range.to ?? null],
    onRows,
    batchSize,
  );
}
