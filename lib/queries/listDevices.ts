import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import type { TimeRange } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface DeviceSummary {
  deviceId: string;
  deviceName: string | null;
  osPlatform: string | null;
  hits: number; // in the range
  processes: number;
  lastHit: string | null;
}

/** Devices with hits in the range (most first), or matching `q` by id or name; at most `limit`. */
export async function listDevices(actor: Actor, range: TimeRange, q?: string, limit = 200): Promise<DeviceSummary[]> {
  authoriseQuery(actor, 'viewer');
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return queryRows<DeviceSummary>(Prisma.sql`
    WITH h AS (
      SELECT device_id, max(device_name) AS device_name, count(*)::int AS hits, count(DISTINCT process_file_name)::int AS processes,
             to_char(max(ts) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_hit
      FROM hit WHERE evidence_valid AND ts >= ${range.from} AND ts < ${range.to} GROUP BY device_id)
    SELECT coalesce(d.device_id, h.device_id) AS "deviceId", coalesce(d.device_name, h.device_name) AS "deviceName",
           d.os_platform AS "osPlatform", coalesce(h.hits, 0) AS hits, coalesce(h.processes, 0) AS processes, h.last_hit AS "lastHit"
    FROM h FULL JOIN device d ON d.device_id = h.device_id
    WHERE ${like === null ? Prisma.sql`h.device_id IS NOT NULL` : Prisma.sql`(coalesce(d.device_id, h.device_id) ILIKE ${like} OR coalesce(d.device_name, h.device_name) ILIKE ${like})`}
    ORDER BY hits DESC, "deviceName", "deviceId" LIMIT ${limit}`);
}
