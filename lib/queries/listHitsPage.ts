import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { hitOrderSql, type HitPageRequest } from '@/lib/hits/sort';
import { keysetPage, type KeysetPage } from './keyset';
import { HIT_ROW_COLUMNS, queryRows, type HitRow } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface HitPage extends KeysetPage<HitRow> {
  total: number;
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
  return { ...keysetPage(rows, page, order), total };
}
