import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { queryRows } from './hitRowSql';
import { EPISODE_ROW_COLUMNS, type EpisodeRow } from './listEpisodesPage';
import { authoriseTriage } from '@/lib/auth/authorise';

export interface EpisodeView extends EpisodeRow {
  decidedBy: string | null;
  decidedAt: string | null;
  decidedAssignee: string | null; // e-mail
}

/** One episode with its triage decision; null when there is none with this id. Viewers and read/triage tokens. */
export async function getEpisode(actor: Actor, episodeId: string): Promise<EpisodeView | null> {
  authoriseTriage(actor, 'read');
  if (!/^\d{1,19}$/.test(episodeId)) return null;
  const [row] = await queryRows<EpisodeView>(Prisma.sql`
    SELECT ${EPISODE_ROW_COLUMNS}, episode.decided_by AS "decidedBy", u.email AS "decidedAssignee",
           to_char(episode.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "decidedAt"
    FROM episode LEFT JOIN "user" u ON u.id = episode.decided_assignee_id WHERE episode.id = ${episodeId}::bigint`);
  return row ?? null;
}
