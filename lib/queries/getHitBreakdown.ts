import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { hitFilterSql, type HitFilter } from '@/lib/hits/filters';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from './queryActor';

// Each dimension: the grouping key (the value the hits filter takes for it) and a label for people.
const DIMENSIONS = {
  country: { key: "coalesce(country, '-')", label: "coalesce(max(country), '-')" },
  process: { key: "coalesce(process_file_name, '')", label: "coalesce(max(process_file_name), '(no process)')" },
  device: { key: 'device_id', label: 'coalesce(max(device_name), device_id)' },
  direction: { key: 'direction', label: 'direction' },
  action: { key: "coalesce(action_type, '')", label: "coalesce(max(action_type), '(none)')" },
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

/** Hits grouped by one dimension (allowlisted), top `limit` with the rest summed. */
export async function getHitBreakdown(actor: Actor, filter: HitFilter, dimension: BreakdownDimension, limit = 10): Promise<HitBreakdown> {
  authoriseQuery(actor, 'viewer');
  const spec = DIMENSIONS[dimension];
  if (!spec) throw new Error(`dimension: one of ${Object.keys(DIMENSIONS).join(', ')}`);
  const rows = await queryRows<BreakdownEntry & { total: number }>(Prisma.sql`
    SELECT ${Prisma.raw(spec.key)} AS key, ${Prisma.raw(spec.label)} AS label, count(*)::int AS hits,
           count(DISTINCT device_id)::int AS devices, sum(count(*)) OVER ()::int AS total
    FROM hit WHERE ${hitFilterSql(filter)} GROUP BY 1 ORDER BY hits DESC, key LIMIT ${limit}`);
  const shown = rows.reduce((sum, r) => sum + r.hits, 0);
  return {
    dimension,
    entries: rows.map(({ total: _total, ...entry }) => entry),
    otherHits: (rows[0]?.total ?? 0) - shown,
  };
}
