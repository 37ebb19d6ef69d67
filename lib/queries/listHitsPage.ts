import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { encodeCursor, hitOrderSql, type HitPageRequest } from '@/lib/hits/sort';
import { HIT_ROW_COLUMNS, queryRows, type HitRow } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface HitPage {
  rows: HitRow[];
  total: number;
  nextCursor: string | null; // pass as `after`
  prevCursor: string | null; // pass as `before`
}

/** One page of hits for the explorer: server-side filter, allowlisted sort, keyset pagination (stable with ties). */
export async function listHitsPage(actor: Actor, filter: HitFilter, page: HitPageRequest): Promise<HitPage> {
  authoriseQuery(actor, 'viewer');
  const where = hitFilterSql(filter);
  const order = hitOrderSql(page);
  const [rows, [{ total }]] = await Promise.all([
    queryRows<HitRow & { sortKey: string }>(Prisma.sql`
      SELECT ${HIT_ROW_COLUMNS}, ${order.sortExpr} AS "sortKey"
      FROM hit WHERE ${where} AND ${order.keyset}
      ORDER BY ${order.orderBy} LIMIT ${page.limit + 1}`),
    queryRows<{ total: number }>(Prisma.sql`SELECT count(*)::int AS total FROM hit WHERE ${where}`),
  ]);
  const more = rows.length > page.limit;
  if (more) rows.pop();
  if (order.reverse) rows.reverse();
  const cursorOf = (row: HitRow & { sortKey: string }) => encodeCursor({ value: row.sortKey, id: row.id });
  const firstRow = rows[0];
  const lastRow = rows.at(-1);
  // Walking forward, "more" means a next page; walking back it means a previous one.
  const hasNext = order.reverse ? true : more;
  const hasPrev = order.reverse ? more : Boolean(page.after);
  return {
    rows: rows.map(({ sortKey: _sortKey, ...row }) => row),
    total,
    nextCursor: hasNext && lastRow ? cursorOf(lastRow) : null,
    prevCursor: hasPrev && firstRow ? cursorOf(firstRow) : null,
  };
}
