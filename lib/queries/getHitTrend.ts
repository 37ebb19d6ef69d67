import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { bucketFor, bucketStarts, type Bucket } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface TrendPoint {
  bucket: string; // ISO start of the UTC bucket
  hits: number;
  devices: number; // distinct devices in the bucket
}

export interface HitTrend {
  bucket: Bucket;
  points: TrendPoint[]; // every bucket of the range, zeros included
}

/** Hits and distinct devices per hour/day/week (chosen by the range unless given). */
export async function getHitTrend(
  actor: Actor,
  filter: HitFilter,
  bucket: Bucket = bucketFor(filter.range),
): Promise<HitTrend> {
  authoriseQuery(actor, 'viewer');
  const rows = await queryRows<{ bucket: Date; hits: number; devices: number }>(Prisma.sql`
    SELECT bucket, sum(n)::int AS hits, count(*)::int AS devices
    FROM (SELECT date_trunc(${bucket}, ts, 'UTC') AS bucket, device_id, count(*) AS n FROM hit WHERE ${hitFilterSql(filter)} GROUP BY 1, 2) per_device
    GROUP BY 1`);
  const byStart = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  return {
    bucket,
    points: bucketStarts(filter.range, bucket).map((start) => {
      const row = byStart.get(start.getTime());
      return { bucket: start.toISOString(), hits: row?.hits ?? 0, devices: row?.devices ?? 0 };
    }),
  };
}
