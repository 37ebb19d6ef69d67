import { Prisma } from '@/generated/prisma/client';
import { ISO_MICROS_SQL } from '@/lib/db/isoMicros';

// The KQL rule row for row (docs/architecture.md §7.6): the IPv4 OR-address rows of the latest snapshot that lists
// OR addresses (one row per relay address), inner-joined with every stored network event on address equality, then
// with the distinct (DeviceId, PublicIP) pairs of all DeviceInfo records — no time window. Addresses compare in
// canonical form (inet), the one deliberate difference from the KQL's string comparison. The rule's columns come first,
// in its order; HitId (the event's hit, when the default match found one; hit.event_id is unique, so the join adds no
// rows) follows them.
export function compatHitsSql(range: { from?: Date; to?: Date }): Prisma.Sql {
  return Prisma.sql`
    WITH latest AS (
      SELECT id FROM relay_snapshot WHERE lists_or ORDER BY observed_at DESC, id DESC LIMIT 1
    ), tor AS (
      SELECT s.ip, s.hostname, s.country FROM relay_snapshot_entry s
      WHERE s.snapshot_id = (SELECT id FROM latest) AND s.kind = 'or' AND family(s.ip) = 4
    ), device_public_ip AS (
      SELECT DISTINCT device_id, public_ip FROM device_info_record
    )
    SELECT ${Prisma.raw(ISO_MICROS_SQL('e.ts'))} AS "Timestamp", e.device_id AS "DeviceId",
           host(p.public_ip) AS "LocalPublicIP", host(e.local_ip) AS "LocalIP", host(e.remote_ip) AS "RemoteIP",
           host(t.ip) AS "TorIP", t.hostname AS "Hostname", t.country AS "CountryCode", e.action_type AS "ActionType",
           e.process_file_name AS "InitiatingProcessFileName", e.process_folder_path AS "InitiatingProcessFolderPath",
           h.id::text AS "HitId"
    FROM tor t
    JOIN network_event_wide e ON e.remote_ip = t.ip
    JOIN device_public_ip p ON p.device_id = e.device_id
    LEFT JOIN hit h ON h.event_id = e.id AND h.evidence_valid
    WHERE (${range.from ?? null}::timestamptz IS NULL OR e.ts >= ${range.from ?? null})
      AND (${range.to ?? null}::timestamptz IS NULL OR e.ts < ${range.to ?? null})
    ORDER BY e.ts, e.device_id, e.remote_ip, p.public_ip NULLS FIRST, t.hostname`;
}
