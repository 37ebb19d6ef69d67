import { z } from 'zod';
import { Prisma } from '@/generated/prisma/client';

// Keyset pagination for the server-side tables (hits, episodes): a sort expression from an allowlist (never from the
// request), a cursor of the last row's sort value (as Postgres text, so microseconds survive) and its id as the
// tie-breaker, and `before` to walk back a page. Each table brings its allowlist (lib/hits/sort.ts,
// lib/episodes/episodeSort.ts) and its table name; the rest is here once.

export interface SortKey {
  sql: string; // an SQL expression over the table's columns, qualified with the table name
  cast: string; // the type the cursor's text goes back to
}

export interface PageCursor {
  value: string;
  id: string;
}

export interface PageRequest<K extends string> {
  sort: K;
  dir: 'asc' | 'desc';
  after?: PageCursor; // the page after this row
  before?: PageCursor; // the page before this row
  limit: number;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

const cursorSchema = z.tuple([z.string().max(200), z.string().regex(/^\d{1,19}$/)]);

export function decodeCursor(text: string, field: string): PageCursor {
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

/** sort, dir, after, before and size from the URL (defaults: `defaultSort` descending, 50 a page). */
export function parsePageRequest<K extends string>(
  params: Params,
  keys: Record<K, SortKey>,
  defaultSort: K,
): PageRequest<K> {
  const sort = first(params, 'sort') ?? defaultSort;
  if (!(sort in keys)) throw new Error(`sort: one of ${Object.keys(keys).join(', ')}`);
  const dir = first(params, 'dir') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc') throw new Error('dir: asc or desc');
  const size = Number(first(params, 'size') ?? 50);
  if (!(PAGE_SIZES as readonly number[]).includes(size)) throw new Error(`size: one of ${PAGE_SIZES.join(', ')}`);
  const after = first(params, 'after');
  const before = first(params, 'before');
  return {
    sort: sort as K,
    dir,
    limit: size,
    after: after ? decodeCursor(after, 'after') : undefined,
    before: !after && before ? decodeCursor(before, 'before') : undefined,
  };
}

export interface KeysetOrder {
  sortExpr: Prisma.Sql; // the sort value as text, selected as the row's "sortKey"
  keyset: Prisma.Sql; // the rows after (or before) the cursor
  orderBy: Prisma.Sql;
  reverse: boolean; // walking back: the query reads backwards, the page is reversed afterwards
}

/** The ORDER BY and keyset condition of a page over `table` (its `id` breaks ties). */
export function keysetOrderSql<K extends string>(
  table: 'hit' | 'episode',
  keys: Record<K, SortKey>,
  page: PageRequest<K>,
): KeysetOrder {
  const key = keys[page.sort];
  const expr = Prisma.raw(key.sql);
  const id = Prisma.raw(`${table}.id`);
  const reverse = Boolean(page.before);
  const descending = (page.dir === 'desc') !== reverse;
  const cursor = page.after ?? page.before;
  const op = Prisma.raw(descending ? '<' : '>');
  const keyset = cursor
    ? Prisma.sql`(${expr}, ${id}) ${op} (${cursor.value}::${Prisma.raw(key.cast)}, ${cursor.id}::bigint)`
    : Prisma.sql`true`;
  const direction = Prisma.raw(descending ? 'DESC' : 'ASC');
  return {
    sortExpr: Prisma.sql`(${expr})::text`,
    keyset,
    orderBy: Prisma.sql`${expr} ${direction}, ${id} ${direction}`,
    reverse,
  };
}

export interface KeysetPage<Row> {
  rows: Row[];
  nextCursor: string | null; // pass as `after`
  prevCursor: string | null; // pass as `before`
}

/** A page from the `limit + 1` rows a keyset query read (in query order): the extra row only says there is more. */
export function keysetPage<Row extends { id: string; sortKey: string }>(
  read: Row[],
  page: PageRequest<string>,
  order: Pick<KeysetOrder, 'reverse'>,
): KeysetPage<Omit<Row, 'sortKey'>> {
  const rows = read.slice(0, page.limit);
  const more = read.length > page.limit;
  if (order.reverse) rows.reverse();
  const cursorOf = (row: Row) => encodeCursor({ value: row.sortKey, id: row.id });
  const firstRow = rows[0];
  const lastRow = rows.at(-1);
  // Walking forward, "more" means a next page; walking back it means a previous one.
  const hasNext = order.reverse ? true : more;
  const hasPrev = order.reverse ? more : Boolean(page.after);
  return {
    rows: rows.map(({ sortKey: _sortKey, ...row }) => row),
    nextCursor: hasNext && lastRow ? cursorOf(lastRow) : null,
    prevCursor: hasPrev && firstRow ? cursorOf(firstRow) : null,
  };
}
