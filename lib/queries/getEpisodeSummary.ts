import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { episodeFilterSql } from '@/lib/episodes/episodeFilterSql';
import type { HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface EpisodeSummary {
  episodes: number; // overlapping the range
  open: number; // of those, with a new or investigating hit
  hits: number;
  weeks: Array<{ week: string; episodes: number; hits: number }>; // ISO Monday (UTC); episodes by the week they began
}

/** Overview (and Trends): episodes next to hits — how many, how many open, and both per week over the range. */
export async function getEpisodeSummary(actor: Actor, filter: HitFilter): Promise<EpisodeSummary> {
  authoriseQuery(actor, 'viewer');
  const episodes = episodeFilterSql(filter);
  const hits = hitFilterSql(filter);
  // One pass over each table: every episode counts in the week it began and every hit in its week, so the totals are
  // the sums of the weeks (the episodes from episode_page_idx, index-only).
  const rows = await queryRows<{ week: string; episodes: number; open: number; hits: number }>(Prisma.sql`
      WITH e AS (
        SELECT date_trunc('week', episode.first_seen AT TIME ZONE 'UTC') AS week, count(*)::int AS n,
               (count(*) FILTER (WHERE episode.status IN ('new', 'investigating')))::int AS open
        FROM episode WHERE ${episodes} GROUP BY 1
      ), h AS (
        SELECT date_trunc('week', ts AT TIME ZONE 'UTC') AS week, count(*)::int AS n FROM hit WHERE ${hits} GROUP BY 1
      )
      SELECT to_char(COALESCE(e.week, h.week), 'YYYY-MM-DD') AS week, COALESCE(e.n, 0) AS episodes,
             COALESCE(e.open, 0) AS open, COALESCE(h.n, 0) AS hits
      FROM e FULL JOIN h ON h.week = e.week ORDER BY 1`);
  const sum = (key: 'episodes' | 'open' | 'hits') => rows.reduce((total, row) => total + row[key], 0);
  const weeks = rows.map(({ week, episodes, hits }) => ({ week, episodes, hits }));
  return { episodes: sum('episodes'), open: sum('open'), hits: sum('hits'), weeks };
}
