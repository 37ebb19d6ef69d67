import { Prisma } from '@/generated/prisma/client';
import { decodeCursor, PAGE_SIZES, type HitCursor } from '@/lib/hits/sort';

// Sorting and keyset pagination of the Episodes table (lib/hits/sort.ts does the same for hits): allowlisted sort
// expressions, a cursor of the last row's sort value (Postgres text) and id.
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
} as const;
export type EpisodeSortKey = keyof typeof EPISODE_SORT_KEYS;

export interface EpisodePageRequest {
  sort: EpisodeSortKey;
  dir: 'asc' | 'desc';
  after?: HitCursor;
  before?: HitCursor;
  limit: number;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
const first = (params: Params, key: string) => {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  return (Array.isArray(value) ? value[0] : value) || undefined;
};

/** sort, dir, after, before and size from the URL (defaults: most recently seen first, 50 a page). */
export function parseEpisodePage(params: Params): EpisodePageRequest {
  const sort = first(params, 'sort') ?? 'lastSeen';
  if (!(sort in EPISODE_SORT_KEYS)) throw new Error(`sort: one of ${Object.keys(EPISODE_SORT_KEYS).join(', ')}`);
  const dir = first(params, 'dir') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc') throw new Error('dir: asc or desc');
  const size = Number(first(params, 'size') ?? 50);
  if (!(PAGE_SIZES as readonly number[]).includes(size)) throw new Error(`size: one of ${PAGE_SIZES.join(', ')}`);
  const after = first(params, 'after');
  const before = first(params, 'before');
  return {
    sort: sort as EpisodeSortKey,
    dir,
    limit: size,
    after: after ? decodeCursor(after, 'after') : undefined,
    before: !after && before ? decodeCursor(before, 'before') : undefined,
  };
}

export function episodeOrderSql(page: EpisodePageRequest) {
  const key = EPISODE_SORT_KEYS[page.sort];
  const expr = Prisma.raw(key.sql);
  const reverse = Boolean(page.before);
  const descending = (page.dir === 'desc') !== reverse;
  const cursor = page.after ?? page.before;
  const op = Prisma.raw(descending ? '<' : '>');
  const keyset = cursor
    ? Prisma.sql`(${expr}, episode.id) ${op} (${cursor.value}::${Prisma.raw(key.cast)}, ${cursor.id}::bigint)`
    : Prisma.sql`true`;
  const direction = Prisma.raw(descending ? 'DESC' : 'ASC');
  return {
    sortExpr: Prisma.sql`(${expr})::text`,
    keyset,
    orderBy: Prisma.sql`${expr} ${direction}, episode.id ${direction}`,
    reverse,
  };
}
