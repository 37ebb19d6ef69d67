import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { hitFilterSql, type HitFilter } from '@/lib/hits/filters';
import { previousPeriod } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from './queryActor';

export const HEADLINE_FIGURES = ['hits', 'devices', 'processes', 'relays', 'highConfidence'] as const;
export type HeadlineFigure = (typeof HEADLINE_FIGURES)[number];
export type HeadlineCounts = Record<HeadlineFigure, number>;

export interface OverviewHeadline {
  current: HeadlineCounts;
  previous: HeadlineCounts; // the period of equal length just before
}

const ZERO: HeadlineCounts = { hits: 0, devices: 0, processes: 0, relays: 0, highConfidence: 0 };

/** Headline figures for the filter's period and the previous period of equal length (same other filters). */
export async function getOverviewHeadline(actor: Actor, filter: HitFilter): Promise<OverviewHeadline> {
  authoriseQuery(actor, 'viewer');
  const previous = previousPeriod(filter.range);
  const where = hitFilterSql(filter, { withoutRange: true });
  const span = Prisma.sql`ts >= ${previous.from} AND ts < ${filter.range.to}`;
  const isCurrent = Prisma.sql`(ts >= ${filter.range.from})`;
  const [counts, relays] = await Promise.all([
    queryRows<{ current: boolean } & HeadlineCounts>(Prisma.sql`
      SELECT ${isCurrent} AS current, count(*)::int AS hits, count(DISTINCT device_id)::int AS devices,
             count(DISTINCT process_file_name)::int AS processes, count(*) FILTER (WHERE confidence = 'high')::int AS "highConfidence"
      FROM hit WHERE ${where} AND ${span} GROUP BY 1`),
    queryRows<{ current: boolean; relays: number }>(Prisma.sql`
      SELECT ${isCurrent} AS current, count(DISTINCT fingerprint)::int AS relays
      FROM hit CROSS JOIN LATERAL unnest(relay_fingerprints) AS fingerprint
      WHERE ${where} AND ${span} GROUP BY 1`),
  ]);
  const pick = (current: boolean): HeadlineCounts => {
    const row = counts.find((r) => r.current === current);
    return { ...ZERO, ...(row ? { hits: row.hits, devices: row.devices, processes: row.processes, highConfidence: row.highConfidence } : {}),
      relays: relays.find((r) => r.current === current)?.relays ?? 0 };
  };
  return { current: pick(true), previous: pick(false) };
}
