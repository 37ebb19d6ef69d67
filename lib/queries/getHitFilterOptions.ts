import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import type { TimeRange } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface HitFilterOptions {
  countries: string[];
  actions: string[];
  processes: string[]; // the most frequent first
}

/** The values the filter pickers offer: what occurs among the range's hits. */
export async function getHitFilterOptions(actor: Actor, range: TimeRange): Promise<HitFilterOptions> {
  authoriseQuery(actor, 'viewer');
  const rows = await queryRows<{ kind: 'country' | 'action' | 'process'; value: string }>(Prisma.sql`
    WITH within AS MATERIALIZED (
      SELECT country, action_type, process_file_name FROM hit WHERE evidence_valid AND ts >= ${range.from} AND ts < ${range.to})
    (SELECT 'country' AS kind, coalesce(country, '-') AS value FROM within GROUP BY 2 ORDER BY 2)
    UNION ALL (SELECT 'action', action_type FROM within WHERE action_type IS NOT NULL GROUP BY 2 ORDER BY 2)
    UNION ALL (SELECT 'process', process_file_name FROM within WHERE process_file_name IS NOT NULL GROUP BY 2 ORDER BY count(*) DESC, 2 LIMIT 200)`);
  const values = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return { countries: values('country'), actions: values('action'), processes: values('process') };
}
