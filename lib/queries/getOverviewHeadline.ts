import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { previousPeriod } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

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
  // One scan of both periods into a materialised set; distinct counts as hash aggregates (SELECT DISTINCT … GROUP BY)
  // instead of count(DISTINCT …), which sorts once per column — 3-5x faster at 50k hits.
  const rows = await queryRows<{ current: boolean; figure: HeadlineFigure; n: number }>(Prisma.sql`
    WITH f AS MATERIALIZED (
      SELECT ${isCurrent} AS current, device_id, process_file_name, relay_fingerprints, confidence FROM hit WHERE ${where} AND ${span})
    SELECT current, 'hits' AS figure, count(*)::int AS n FROM f GROUP BY 1
    UNION ALL SELECT current, 'highConfidence', count(*)::int FROM f WHERE confidence = 'high' GROUP BY 1
    UNION ALL SELECT current, 'devices', count(*)::int FROM (SELECT DISTINCT current, device_id FROM f) d GROUP BY 1
    UNION ALL SELECT current, 'processes', count(*)::int FROM (SELECT DISTINCT current, process_file_name FROM f WHERE process_file_name IS NOT NULL) p GROUP BY 1
    UNION ALL SELECT current, 'relays', count(*)::int FROM (SELECT DISTINCT current, fingerprint FROM f, unnest(relay_fingerprints) AS fingerprint) r GROUP BY 1`);
  const counts = [true, false].map((current) => ({
    current,
    ...Object.fromEntries(
      HEADLINE_FIGURES.map((figure) => [
        figure,
        rows.find((r) => r.current === current && r.figure === figure)?.n ?? 0,
      ]),
    ),
  })) as Array<{ current: boolean } & HeadlineCounts>;
  const pick = (current: boolean): HeadlineCounts => {
    const row = counts.find((r) => r.current === current);
    return row
      ? {
          hits: row.hits,
          devices: row.devices,
          processes: row.processes,
          relays: row.relays,
          highConfidence: row.highConfidence,
        }
      : { ...ZERO };
  };
  return { current: pick(true), previous: pick(false) };
}
