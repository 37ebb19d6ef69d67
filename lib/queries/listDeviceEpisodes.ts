import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { queryRows } from './hitRowSql';
import { EPISODE_ROW_COLUMNS, type EpisodeRow } from './listEpisodesPage';
import { authoriseQuery } from '@/lib/auth/authorise';

export const DEVICE_EPISODES_SHOWN = 50;

/** A device's episodes, most recent first (all time, at most DEVICE_EPISODES_SHOWN; `total` counts them all). */
export async function listDeviceEpisodes(
  actor: Actor,
  deviceId: string,
): Promise<{ rows: EpisodeRow[]; total: number }> {
  authoriseQuery(actor, 'viewer');
  const [rows, [{ total }]] = await Promise.all([
    queryRows<EpisodeRow>(Prisma.sql`
      SELECT ${EPISODE_ROW_COLUMNS} FROM episode WHERE episode.device_id = ${deviceId}
      ORDER BY episode.last_seen DESC, episode.id DESC LIMIT ${DEVICE_EPISODES_SHOWN}`),
    queryRows<{ total: number }>(Prisma.sql`SELECT count(*)::int AS total FROM episode WHERE device_id = ${deviceId}`),
  ]);
  return { rows, total };
}
