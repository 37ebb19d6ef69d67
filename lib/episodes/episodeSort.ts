import {
  keysetOrderSql,
  parsePageRequest,
  type KeysetOrder,
  type PageRequest,
  type SortKey,
} from '@/lib/queries/keyset';

// Sorting of the Episodes table: the allowlist of sort expressions (lib/hits/sort.ts is the hits table's). Keyset
// paging: lib/queries/keyset.ts.
export const EPISODE_SORT_KEYS = {
  lastSeen: { sql: 'episode.last_seen', cast: 'timestamptz' },
  firstSeen: { sql: 'episode.first_seen', cast: 'timestamptz' },
  hits: { sql: 'episode.hit_count', cast: 'int' },
  device: { sql: 'coalesce(episode.device_name, episode.device_id)', cast: 'text' },
  process: { sql: 'episode.process_key', cast: 'text' },
  confidence: {
    sql: "CASE episode.max_confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END",
    cast: 'int',
  },
  status: {
    sql: "CASE episode.status WHEN 'new' THEN 1 WHEN 'investigating' THEN 2 WHEN 'true_positive' THEN 3 WHEN 'benign' THEN 4 ELSE 5 END",
    cast: 'int',
  },
} as const satisfies Record<string, SortKey>;
export type EpisodeSortKey = keyof typeof EPISODE_SORT_KEYS;
export type EpisodePageRequest = PageRequest<EpisodeSortKey>;

/** sort, dir, after, before and size from the URL (defaults: most recently seen first, 50 a page). */
export function parseEpisodePage(params: Parameters<typeof parsePageRequest>[0]): EpisodePageRequest {
  return parsePageRequest(params, EPISODE_SORT_KEYS, 'lastSeen');
}

export function episodeOrderSql(page: EpisodePageRequest): KeysetOrder {
  return keysetOrderSql('episode', EPISODE_SORT_KEYS, page);
}
