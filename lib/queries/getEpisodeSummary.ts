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
  const [[totals], weeks] = await Promise.all([
    queryRows<{ episodes: number; open: number; hits: number }>(Prisma.sql`
      SELECT count(*)::int AS episodes, (count(*) FILTER (WHERE episode.status IN ('new', 'investigating')))::int AS open,
             COALESCE((SELECT count(*) FROM hit WHERE ${hits}), 0)::int AS hits
      FROM episode WHERE ${episodes}`),
    queryRows<{ week: string; episodes: number; hits: number }>(Prisma.sql`
      WITH e AS (
        SELECT date_trunc('week', episode.first_seen AT TIME ZONE 'UTC') AS week, count(*)::int AS n
        FROM episode WHERE ${episodes} GROUP BY 1
      ), h AS (
        SELECT date_trunc('week', ts AT TIME ZONE 'UTC') AS week, count(*)::int AS n FROM hit WHERE ${hits} GROUP BY 1
      )
      SELECT to_char(COALESCE(e.week, h.week), 'YYYY-MM-DD') AS week, COALESCE(e.n, 0) AS episodes, COALESCE(h.n, 0) AS hits
      FROM e FULL JOIN h ON h.week = e.week ORDER BY 1`),
  ]);
  return { ...totals, weeks };
}
