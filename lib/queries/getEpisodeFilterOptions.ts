import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import type { TimeRange } from '@/lib/time/ranges';
import type { HitFilterOptions } from './getHitFilterOptions';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

/**
 * The values the Episodes page's filter pickers offer (docs/architecture.md §8.4), at a cost that follows the number of
 * distinct values, not the hits or episodes of the range: countries and processes that occur among the range's valid
 * hits, each distinct value found by a loose index scan — one probe of hit (country, ts) or (process_file_name, ts)
 * per value, then one probe for "any valid hit in the range"; processes ordered by their hits in the range (an
 * index-only count); action types from the event store's `action_type` dictionary (a handful of rows — episodes carry
 * no actions; the action filter selects episodes with such a hit).
 */
export async function getEpisodeFilterOptions(actor: Actor, range: TimeRange): Promise<HitFilterOptions> {
  authoriseQuery(actor, 'viewer');
  const inRange = (alias: string) =>
    Prisma.sql`${Prisma.raw(alias)}.ts >= ${range.from} AND ${Prisma.raw(alias)}.ts < ${range.to}`;
  const rows = await queryRows<{ kind: 'country' | 'action' | 'process'; value: string }>(Prisma.sql`
    WITH RECURSIVE country AS (
      SELECT (SELECT min(h.country) FROM hit h) AS value
      UNION ALL
      SELECT (SELECT min(h.country) FROM hit h WHERE h.country > c.value) FROM country c WHERE c.value IS NOT NULL
    ), process AS (
      SELECT (SELECT min(h.process_file_name) FROM hit h) AS value
      UNION ALL
      SELECT (SELECT min(h.process_file_name) FROM hit h WHERE h.process_file_name > p.value)
      FROM process p WHERE p.value IS NOT NULL
    )
    (SELECT 'country' AS kind, c.value FROM country c
     WHERE c.value IS NOT NULL
       AND EXISTS (SELECT 1 FROM hit h WHERE h.country = c.value AND ${inRange('h')} AND h.evidence_valid)
     UNION ALL
     SELECT 'country', '-' WHERE EXISTS (SELECT 1 FROM hit h WHERE h.country IS NULL AND ${inRange('h')} AND h.evidence_valid)
     ORDER BY 2)
    UNION ALL (SELECT 'action', name FROM action_type ORDER BY 2)
    UNION ALL (
      SELECT 'process', p.value FROM process p CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM hit h WHERE h.process_file_name = p.value AND ${inRange('h')}) n
      WHERE p.value IS NOT NULL AND n.n > 0
        AND EXISTS (SELECT 1 FROM hit h WHERE h.process_file_name = p.value AND ${inRange('h')} AND h.evidence_valid)
      ORDER BY n.n DESC, 2 LIMIT 200)`);
  const values = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return { countries: values('country'), actions: values('action'), processes: values('process') };
}
