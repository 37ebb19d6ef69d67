import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { HIT_ROW_COLUMNS, queryRows, type HitRow } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';

export const EPISODE_HITS_SHOWN = 200;

/** The hits of one episode in time order (at most EPISODE_HITS_SHOWN; `total` says how many there are). */
export async function getEpisodeHits(actor: Actor, episodeId: string): Promise<{ hits: HitRow[]; total: number }> {
  authoriseQuery(actor, 'viewer');
  if (!/^\d{1,19}$/.test(episodeId)) return { hits: [], total: 0 };
  const [hits, [{ total }]] = await Promise.all([
    queryRows<HitRow>(Prisma.sql`
      SELECT ${HIT_ROW_COLUMNS} FROM hit WHERE episode_id = ${episodeId}::bigint AND evidence_valid
      ORDER BY ts, id LIMIT ${EPISODE_HITS_SHOWN}`),
    queryRows<{ total: number }>(
      Prisma.sql`SELECT count(*)::int AS total FROM hit WHERE episode_id = ${episodeId}::bigint AND evidence_valid`,
    ),
  ]);
  return { hits, total };
}
