import { z } from 'zod';
import { Prisma } from '@/generated/prisma/client';
import { confidenceRankSql } from './confidenceRank';

// Sorting and keyset pagination of the hits table (columns qualified: the select list renames id and ts to text, and
// an unqualified ORDER BY name would sort by that output column). Sort expressions come from this allowlist only; the cursor
// carries the last row's sort value (as Postgres text, so microseconds survive) and its id as the tie-breaker.
export const HIT_SORT_KEYS = {
  ts: { sql: 'hit.ts', cast: 'timestamptz', label: 'Time' },
  device: { sql: 'coalesce(hit.device_name, hit.device_id)', cast: 'text', label: 'Device' },
  process: { sql: "coalesce(hit.process_file_name, '')", cast: 'text', label: 'Process' },
  remoteIp: { sql: 'hit.remote_ip', cast: 'inet', label: 'Remote IP' },
  remotePort: { sql: 'coalesce(hit.remote_port, -1)', cast: 'int', label: 'Port' },
  country: { sql: "coalesce(hit.country, '')", cast: 'text', label: 'Country' },
  action: { sql: "coalesce(hit.action_type, '')", cast: 'text', label: 'Action' },
  direction: { sql: 'hit.direction', cast: 'text', label: 'Direction' },
  confidence: {
    sql: confidenceRankSql('hit.confidence'),
    cast: 'int',
    label: 'Confidence',
  },
  status: { sql: 'hit.status', cast: 'text', label: 'Status' },
} as const;
export type HitSortKey = keyof typeof HIT_SORT_KEYS;
export const HIT_SORT_KEY_NAMES = Object.keys(HIT_SORT_KEYS) as HitSortKey[];

export interface HitCursor {
  value: string;
  id: string;
}

export interface HitPageRequest {
  sort: HitSortKey;
  dir: 'asc' | 'desc';
  after?: HitCursor; // the page after this row
  before?: HitCursor; // the page before this row
  limit: number;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export function encodeCursor(cursor: HitCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

const cursorSchema = z.tuple([z.string().max(200), z.string().regex(/^\d{1,19}$/)]);

export function decodeCursor(text: string, field: string): HitCursor {
  try {
    const [value, id] = cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { value, id };
  } catch {
    throw new Error(`${field}: not a page cursor from this table (start again from the first page)`);
  }
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
const first = (params: Params, key: string) => {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  return (Array.isArray(value) ? value[0] : value) || undefined;
};

/** sort, dir, after, before and size from the URL (defaults: newest first, 50 a page). */
export function parseHitPage(params: Params): HitPageRequest {
  const sort = first(params, 'sort') ?? 'ts';
  if (!(sort in HIT_SORT_KEYS)) throw new Error(`sort: one of ${HIT_SORT_KEY_NAMES.join(', ')}`);
  const dir = first(params, 'dir') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc') throw new Error('dir: asc or desc');
  const size = Number(first(params, 'size') ?? 50);
  if (!(PAGE_SIZES as readonly number[]).includes(size)) throw new Error(`size: one of ${PAGE_SIZES.join(', ')}`);
  const after = first(params, 'after');
  const before = first(params, 'before');
  return {
    sort: sort as HitSortKey,
    dir,
    limit: size,
    after: after ? decodeCursor(after, 'after') : undefined,
    before: !after && before ? decodeCursor(before, 'before') : undefined,
  };
}

/** The ORDER BY and keyset condition for a page; `reverse` walks backwards (for "previous page"). */
export function hitOrderSql(page: HitPageRequest): {
  sortExpr: Prisma.Sql;
  keyset: Prisma.Sql;
  orderBy: Prisma.Sql;
  reverse: boolean;
} {
  const key = HIT_SORT_KEYS[page.sort];
  const expr = Prisma.raw(key.sql);
  const reverse = Boolean(page.before);
  const descending = (page.dir === 'desc') !== reverse;
  const cursor = page.after ?? page.before;
  const op = Prisma.raw(descending ? '<' : '>');
  const keyset = cursor
    ? Prisma.sql`(${expr}, hit.id) ${op} (${cursor.value}::${Prisma.raw(key.cast)}, ${cursor.id}::bigint)`
    : Prisma.sql`true`;
  const direction = Prisma.raw(descending ? 'DESC' : 'ASC');
  return {
    sortExpr: Prisma.sql`(${expr})::text`,
    keyset,
    orderBy: Prisma.sql`${expr} ${direction}, hit.id ${direction}`,
    reverse,
  };
}
