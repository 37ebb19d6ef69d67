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
  // One scan of both periods; unnest gives a row per relay fingerprint, so hits are counted by id.
  const counts = await queryRows<{ current: boolean } & HeadlineCounts>(Prisma.sql`
    SELECT ${isCurrent} AS current, count(DISTINCT id)::int AS hits, count(DISTINCT device_id)::int AS devices,
           count(DISTINCT process_file_name)::int AS processes, count(DISTINCT fingerprint)::int AS relays,
           count(DISTINCT id) FILTER (WHERE confidence = 'high')::int AS "highConfidence"
    FROM hit LEFT JOIN LATERAL unnest(relay_fingerprints) AS fingerprint ON true
    WHERE ${where} AND ${span} GROUP BY 1`);
  const pick = (current: boolean): HeadlineCounts => {
    const row = counts.find((r) => r.current === current);
    return row ? { hits: row.hits, devices: row.devices, processes: row.processes, relays: row.relays, highConfidence: row.highConfidence } : { ...ZERO };
  };
  return { current: pick(true), previous: pick(false) };
}
