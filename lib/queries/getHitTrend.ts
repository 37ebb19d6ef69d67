import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { bucketFor, bucketStarts, type Bucket } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface TrendPoint {
  bucket: string; // ISO start of the bucket (cut in HitTrend.zone)
  hits: number;
  devices: number; // distinct devices in the bucket
}

export interface HitTrend {
  bucket: Bucket;
  zone: string; // where the buckets were cut
  points: TrendPoint[]; // every bucket of the range, zeros included
}

/**
 * Hits and distinct devices per hour/day/week (chosen by the range unless given), the buckets cut in `zone` (an IANA
 * name validated by the caller; DST-aware, by PostgreSQL) — a viewer reading local time gets local days (issue 17).
 */
export async function getHitTrend(
  actor: Actor,
  filter: HitFilter,
  bucket: Bucket = bucketFor(filter.range),
  zone = 'UTC',
): Promise<HitTrend> {
  authoriseQuery(actor, 'viewer');
  const rows = await queryRows<{ bucket: Date; hits: number; devices: number }>(Prisma.sql`
    SELECT bucket, sum(n)::int AS hits, count(*)::int AS devices
    FROM (SELECT date_trunc(${bucket}, ts, ${zone}) AS bucket, device_id, count(*) AS n FROM hit WHERE ${hitFilterSql(filter)} GROUP BY 1, 2) per_device
    GROUP BY 1`);
  const byStart = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  const starts =
    zone === 'UTC'
      ? bucketStarts(filter.range, bucket)
      : (
          await queryRows<{ start: Date }>(Prisma.sql`
          SELECT (g AT TIME ZONE ${zone}) AS start
          FROM generate_series(date_trunc(${bucket}, ${filter.range.from}::timestamptz, ${zone}) AT TIME ZONE ${zone},
                               (${filter.range.to}::timestamptz - interval '1 microsecond') AT TIME ZONE ${zone},
                               ('1 ' || ${bucket})::interval) AS g ORDER BY 1`)
        ).map((r) => r.start);
  return {
    bucket,
    zone,
    points: starts.map((start) => {
      const row = byStart.get(start.getTime());
      return { bucket: start.toISOString(), hits: row?.hits ?? 0, devices: row?.devices ?? 0 };
    }),
  };
}
