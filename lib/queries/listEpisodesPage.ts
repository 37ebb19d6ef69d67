import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { episodeFilterSql } from '@/lib/episodes/episodeFilterSql';
import { episodeOrderSql, type EpisodePageRequest } from '@/lib/episodes/episodeSort';
import type { HitFilter } from '@/lib/hits/filters';
import { queryRows } from './hitRowSql';
import { keysetPage, type KeysetPage } from './keyset';
import { authoriseQuery } from '@/lib/auth/authorise';

/** One episode as the Episodes table shows it (plain DTO; times ISO UTC). */
export interface EpisodeRow {
  id: string;
  deviceId: string;
  deviceName: string | null;
  processFileName: string | null;
  firstSeen: string;
  lastSeen: string;
  hitCount: number;
  openHits: number;
  relayFingerprints: string[];
  countryCodes: string[];
  ports: number[];
  maxConfidence: string;
  isExit: boolean;
  status: string;
  decidedStatus: string | null;
}

export const EPISODE_ROW_COLUMNS = Prisma.raw(`episode.id::text AS "id", episode.device_id AS "deviceId",
  episode.device_name AS "deviceName", episode.process_file_name AS "processFileName",
  to_char(episode.first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "firstSeen",
  to_char(episode.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "lastSeen",
  episode.hit_count AS "hitCount", episode.open_hits AS "openHits", episode.relay_fingerprints AS "relayFingerprints",
  episode.country_codes AS "countryCodes", episode.ports, episode.max_confidence AS "maxConfidence",
  episode.is_exit AS "isExit", episode.status, episode.decided_status AS "decidedStatus"`);

export interface EpisodePage extends KeysetPage<EpisodeRow> {
  total: number;
}

/** One page of episodes: server-side filter (the hits filter, applied to episodes), allowlisted sort, keyset pages. */
export async function listEpisodesPage(
  actor: Actor,
  filter: HitFilter,
  page: EpisodePageRequest,
): Promise<EpisodePage> {
  authoriseQuery(actor, 'viewer');
  const where = episodeFilterSql(filter);
  const order = episodeOrderSql(page);
  // The page's ids first, from the covering index episode_page_idx alone (filter, sort key, keyset: index-only), then
  // its rows by id; the count reads the same index (docs/architecture.md §8.4).
  const [rows, [{ total }]] = await Promise.all([
    queryRows<EpisodeRow & { sortKey: string }>(Prisma.sql`
      WITH page AS MATERIALIZED (
        SELECT episode.id, ${order.sortExpr} AS "sortKey" FROM episode WHERE ${where} AND ${order.keyset}
        ORDER BY ${order.orderBy} LIMIT ${page.limit + 1})
      SELECT ${EPISODE_ROW_COLUMNS}, page."sortKey" FROM page JOIN episode ON episode.id = page.id
      ORDER BY ${order.orderBy}`),
    queryRows<{ total: number }>(Prisma.sql`SELECT count(*)::int AS total FROM episode WHERE ${where}`),
  ]);
  return { ...keysetPage(rows, page, order), total };
}
