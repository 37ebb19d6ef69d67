import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

const ISO = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

export interface PublicIpPeriod {
  publicIp: string | null;
  from: string; // first DeviceInfo record of this run of the same address
  to: string; // last record of the run
  records: number;
}

export interface DeviceProfile {
  deviceId: string;
  deviceName: string | null;
  osPlatform: string | null;
  osVersion: string | null;
  machineGroup: string | null;
  attributes: Record<string, unknown>;
  firstSeen: string | null;
  lastSeen: string | null;
  hits: { total: number; first: string | null; last: string | null; highConfidence: number };
  publicIps: PublicIpPeriod[]; // newest first
}

/** A device with its DeviceInfo attributes, hit summary and public IPs over time; null when unknown. */
export async function getDevice(actor: Actor, deviceId: string): Promise<DeviceProfile | null> {
  authoriseQuery(actor, 'viewer');
  const [devices, hitSummary, publicIps] = await Promise.all([
    queryRows<Omit<DeviceProfile, 'hits' | 'publicIps'>>(Prisma.sql`
      SELECT device_id AS "deviceId", device_name AS "deviceName", os_platform AS "osPlatform", os_version AS "osVersion",
             machine_group AS "machineGroup", coalesce(attributes, '{}'::jsonb) AS attributes,
             ${ISO('first_seen')} AS "firstSeen", ${ISO('last_seen')} AS "lastSeen"
      FROM device WHERE device_id = ${deviceId}`),
    queryRows<DeviceProfile['hits'] & { name: string | null }>(Prisma.sql`
      SELECT count(*)::int AS total, ${ISO('min(ts)')} AS first, ${ISO('max(ts)')} AS last,
             count(*) FILTER (WHERE confidence = 'high')::int AS "highConfidence", max(device_name) AS name
      FROM hit WHERE device_id = ${deviceId} AND evidence_valid`),
    // Runs of consecutive DeviceInfo records with the same public IP (gaps and islands).
    queryRows<PublicIpPeriod>(Prisma.sql`
      SELECT host(public_ip) AS "publicIp", ${ISO('min(ts)')} AS "from", ${ISO('max(ts)')} AS "to", count(*)::int AS records
      FROM (SELECT ts, public_ip, row_number() OVER (ORDER BY ts) - row_number() OVER (PARTITION BY public_ip ORDER BY ts) AS run
            FROM device_info_record WHERE device_id = ${deviceId}) r
      GROUP BY public_ip, run ORDER BY min(ts) DESC LIMIT 200`),
  ]);
  const { name, ...hits } = hitSummary[0];
  const device = devices[0];
  if (!device && hits.total === 0 && publicIps.length === 0) return null;
  // A device known only from hits (its DeviceInfo never ingested) still gets a page.
  const base = device ?? {
    deviceId,
    deviceName: name,
    osPlatform: null,
    osVersion: null,
    machineGroup: null,
    attributes: {},
    firstSeen: null,
    lastSeen: null,
  };
  return { ...base, hits, publicIps };
}
