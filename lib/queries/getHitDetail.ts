import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { hasRole } from '@/lib/auth/roles';
import { HIT_ROW_COLUMNS, queryRows, type HitRow } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

const ISO = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

export interface HitEvent {
  localPort: number | null;
  protocol: string | null;
  remoteUrl: string | null;
  processCommandLine: string | null; // analysts and admins only
  processAccountName: string | null;
  processId: string | null;
  reportId: string;
  source: string;
  batchId: number;
  ingestedAt: string;
}

export interface RelayInterval {
  fingerprint: string;
  nickname: string | null;
  country: string | null;
  flags: string[];
  ip: string;
  port: number;
  kind: string;
  validFrom: string;
  validTo: string;
  coversHit: boolean; // the hit's time lies inside this interval (before the grace widening)
}

export interface PublicIpRecord {
  ts: string;
  publicIp: string | null;
}

export interface HitDetail {
  hit: HitRow;
  event: HitEvent | null;
  relaysOnAddress: RelayInterval[]; // every interval of this address, any relay
  addressHistory: RelayInterval[]; // every address those relays had
  publicIps: PublicIpRecord[]; // the device's DeviceInfo public IP just before and after the hit
}

/** One hit with what an analyst needs to judge it. Null when no such hit. */
export async function getHitDetail(actor: Actor, id: string): Promise<HitDetail | null> {
  authoriseQuery(actor, 'viewer');
  if (!/^\d{1,19}$/.test(id)) return null;
  const [hit] = await queryRows<HitRow>(Prisma.sql`SELECT ${HIT_ROW_COLUMNS} FROM hit WHERE id = ${id}::bigint`);
  if (!hit) return null;
  const mayReadCommandLine = hasRole(actor, 'analyst');
  const intervals = (where: Prisma.Sql) =>
    queryRows<RelayInterval>(Prisma.sql`
    SELECT ra.fingerprint, r.nickname, r.country, coalesce(r.flags, '{}') AS flags, host(ra.ip) AS ip, ra.port, ra.kind,
           ${ISO('ra.valid_from')} AS "validFrom", ${ISO('ra.valid_to')} AS "validTo",
           (h.ts BETWEEN ra.valid_from AND ra.valid_to) AS "coversHit"
    FROM relay_address ra JOIN hit h ON h.id = ${id}::bigint LEFT JOIN relay r ON r.fingerprint = ra.fingerprint
    WHERE ${where} ORDER BY ra.fingerprint, ra.valid_from, ra.ip, ra.port LIMIT 500`);
  const [event, relaysOnAddress, publicIps] = await Promise.all([
    queryRows<HitEvent>(Prisma.sql`
      SELECT e.local_port AS "localPort", e.protocol, e.remote_url AS "remoteUrl",
             ${mayReadCommandLine ? Prisma.sql`e.process_command_line` : Prisma.sql`NULL::text`} AS "processCommandLine",
             e.process_account_name AS "processAccountName", e.process_id::text AS "processId", e.report_id AS "reportId",
             e.source, e.batch_id AS "batchId", ${ISO('e.ingested_at')} AS "ingestedAt"
      FROM hit h JOIN network_event_wide e ON e.remote_ip = h.remote_ip AND e.ts = h.ts AND e.id = h.event_id
      WHERE h.id = ${id}::bigint`), // (remote_ip, ts) finds the event: docs/architecture.md §4.6
    intervals(Prisma.sql`ra.ip = h.remote_ip`),
    queryRows<PublicIpRecord>(Prisma.sql`
      (SELECT ${ISO('d.ts')} AS ts, host(d.public_ip) AS "publicIp", d.ts AS at FROM device_info_record d JOIN hit h ON h.id = ${id}::bigint
        WHERE d.device_id = h.device_id AND d.ts <= h.ts ORDER BY d.ts DESC LIMIT 3)
      UNION ALL
      (SELECT ${ISO('d.ts')}, host(d.public_ip), d.ts FROM device_info_record d JOIN hit h ON h.id = ${id}::bigint
        WHERE d.device_id = h.device_id AND d.ts > h.ts ORDER BY d.ts LIMIT 2)
      ORDER BY at`),
  ]);
  const fingerprints = [
    ...new Set([...hit.relayFingerprints, ...relaysOnAddress.map((r) => r.fingerprint)].filter(Boolean)),
  ];
  const addressHistory = fingerprints.length
    ? await intervals(Prisma.sql`ra.fingerprint = ANY(${fingerprints}::text[])`)
    : [];
  return {
    hit,
    event: event[0] ?? null,
    relaysOnAddress,
    addressHistory,
    publicIps: publicIps.map(({ ts, publicIp }) => ({ ts, publicIp })),
  };
}
