import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import type { HitFilter } from '@/lib/hits/filters';
import { queryRows } from '@/lib/queries/hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';
import { episodeRecordSql, type EpisodeRecord } from './episodeColumns';
import { episodeFilterSql } from './episodeFilterSql';

export const MAX_EXPORTED_EPISODES = 100_000;

/** The episodes a filter matches, as machine records (newest first), for the Episodes page export. Analysts. */
export async function exportEpisodes(actor: Actor, filter: HitFilter): Promise<EpisodeRecord[]> {
  authoriseQuery(actor, 'analyst');
  return queryRows<EpisodeRecord>(Prisma.sql`
    SELECT ${Prisma.raw(episodeRecordSql('episode'))} FROM episode
    WHERE ${episodeFilterSql(filter)} ORDER BY episode.last_seen DESC, episode.id DESC LIMIT ${MAX_EXPORTED_EPISODES}`);
}
