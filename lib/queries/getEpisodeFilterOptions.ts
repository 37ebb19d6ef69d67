import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import type { TimeRange } from '@/lib/time/ranges';
import type { HitFilterOptions } from './getHitFilterOptions';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

/**
 * The values the Episodes page's filter pickers offer (docs/architecture.md §8.4), read from the small tables rather
 * than from every hit of the range (the hits page's getHitFilterOptions): countries and processes of the episodes
 * overlapping the range (the episode filter matches the episode's own countries and process), and the action types
 * the event store knows (its `action_type` dictionary, a handful of rows; episodes do not carry actions — the action
 * filter selects episodes with such a hit).
 */
export async function getEpisodeFilterOptions(actor: Actor, range: TimeRange): Promise<HitFilterOptions> {
  authoriseQuery(actor, 'viewer');
  const rows = await queryRows<{ kind: 'country' | 'action' | 'process'; value: string }>(Prisma.sql`
    WITH within AS MATERIALIZED (
      SELECT country_codes, process_file_name, hit_count FROM episode
      WHERE last_seen >= ${range.from} AND first_seen < ${range.to})
    (SELECT 'country' AS kind, c AS value FROM within, unnest(country_codes) AS c GROUP BY 2
     UNION SELECT 'country', '-' WHERE EXISTS (SELECT 1 FROM within WHERE cardinality(country_codes) = 0) ORDER BY 2)
    UNION ALL (SELECT 'action', name FROM action_type ORDER BY 2)
    UNION ALL (SELECT 'process', process_file_name FROM within WHERE process_file_name IS NOT NULL GROUP BY 2
               ORDER BY sum(hit_count) DESC, 2 LIMIT 200)`);
  const values = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return { countries: values('country'), actions: values('action'), processes: values('process') };
}
