import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import type { TimeRange } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from './queryActor';

export interface HitFilterOptions {
  countries: string[];
  actions: string[];
  processes: string[]; // the most frequent first
}

/** The values the filter pickers offer: what occurs among the range's hits. */
export async function getHitFilterOptions(actor: Actor, range: TimeRange): Promise<HitFilterOptions> {
  authoriseQuery(actor, 'viewer');
  const within = Prisma.sql`evidence_valid AND ts >= ${range.from} AND ts < ${range.to}`;
  const [countries, actions, processes] = await Promise.all([
    queryRows<{ value: string }>(Prisma.sql`SELECT DISTINCT coalesce(country, '-') AS value FROM hit WHERE ${within} ORDER BY 1`),
    queryRows<{ value: string }>(Prisma.sql`SELECT DISTINCT action_type AS value FROM hit WHERE ${within} AND action_type IS NOT NULL ORDER BY 1`),
    queryRows<{ value: string }>(Prisma.sql`
      SELECT process_file_name AS value FROM hit WHERE ${within} AND process_file_name IS NOT NULL
      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 200`),
  ]);
  return { countries: countries.map((r) => r.value), actions: actions.map((r) => r.value), processes: processes.map((r) => r.value) };
}
