import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

// Each dimension: the grouping key (the value the hits filter takes for it) and a label for people.
// `columns`: the hit columns it reads besides device_id (the filtered set holds only those the asked dimensions need,
// so the map's country counts are an index-only scan of hit_kpi_idx; docs/architecture.md §8.5.1).
const DIMENSIONS = {
  country: { key: "coalesce(country, '-')", label: "coalesce(max(country), '-')", columns: ['country'] },
  process: {
    key: "coalesce(process_file_name, '')",
    label: "coalesce(max(process_file_name), '(no process)')",
    columns: ['process_file_name'],
  },
  device: { key: 'device_id', label: 'coalesce(max(device_name), device_id)', columns: ['device_name'] },
  direction: { key: 'direction', label: 'direction', columns: ['direction'] },
  action: { key: "coalesce(action_type, '')", label: "coalesce(max(action_type), '(none)')", columns: ['action_type'] },
} as const;
export type BreakdownDimension = keyof typeof DIMENSIONS;

export interface BreakdownEntry {
  key: string; // '' when the hits cannot be filtered by it (no process / no action type)
  label: string;
  hits: number;
  devices: number;
}

export interface HitBreakdown {
  dimension: BreakdownDimension;
  entries: BreakdownEntry[]; // the top `limit`, most hits first
  otherHits: number; // hits outside the top entries
}

/**
 * Hits grouped by each of several dimensions (allowlisted), top `limit` per dimension with the rest summed — one
 * scan of the filtered hits for all of them (the overview asks for five).
 */
export async function getHitBreakdowns(
  actor: Actor,
  filter: HitFilter,
  dimensions: readonly BreakdownDimension[],
  limit = 10,
): Promise<HitBreakdown[]> {
  authoriseQuery(actor, 'viewer');
  for (const d of dimensions)
    if (!(d in DIMENSIONS)) throw new Error(`dimension: one of ${Object.keys(DIMENSIONS).join(', ')}`);
  if (!dimensions.length) return [];
  const columns = [...new Set(['device_id', ...dimensions.flatMap((d) => DIMENSIONS[d].columns)])]; // allowlisted names
  // Per (key, device) first, then per key: distinct devices by hash aggregation rather than count(DISTINCT) sorts.
  const groups = dimensions.map(
    (d) => Prisma.sql`
    SELECT ${d} AS dimension, key, max(label) AS label, sum(n)::int AS hits, count(*)::int AS devices
    FROM (SELECT ${Prisma.raw(DIMENSIONS[d].key)} AS key, ${Prisma.raw(DIMENSIONS[d].label)} AS label, device_id, count(*) AS n
          FROM filtered GROUP BY 1, device_id) per_device GROUP BY key`,
  );
  const rows = await queryRows<BreakdownEntry & { dimension: BreakdownDimension; total: number }>(Prisma.sql`
    WITH filtered AS MATERIALIZED (
      SELECT ${Prisma.raw(columns.join(', '))} FROM hit WHERE ${hitFilterSql(filter)}),
    grouped AS (${Prisma.join(groups, ' UNION ALL ')}),
    ranked AS (SELECT *, sum(hits) OVER (PARTITION BY dimension)::int AS total,
                      row_number() OVER (PARTITION BY dimension ORDER BY hits DESC, key) AS rank FROM grouped)
    SELECT dimension, key, label, hits, devices, total FROM ranked WHERE rank <= ${limit} ORDER BY dimension, rank`);
  return dimensions.map((dimension) => {
    const mine = rows.filter((r) => r.dimension === dimension);
    const shown = mine.reduce((sum, r) => sum + r.hits, 0);
    return {
      dimension,
      entries: mine.map(({ key, label, hits, devices }) => ({ key, label, hits, devices })),
      otherHits: (mine[0]?.total ?? 0) - shown,
    };
  });
}

/** Hits grouped by one dimension. */
export async function getHitBreakdown(
  actor: Actor,
  filter: HitFilter,
  dimension: BreakdownDimension,
  limit = 10,
): Promise<HitBreakdown> {
  const [breakdown] = await getHitBreakdowns(actor, filter, [dimension], limit);
  return breakdown;
}
