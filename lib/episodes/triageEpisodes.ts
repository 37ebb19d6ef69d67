import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { withTriageLock } from '@/lib/db/matchLock';
import { getPool } from '@/lib/db/pool';
import { serialiseHitFilter, STATUSES, type HitFilter, type HitStatus } from '@/lib/hits/filters';
import { authoriseTriage } from '@/lib/auth/authorise';
import { TriageError } from '@/lib/triage/triageHits';
import { episodeFilterSql } from './episodeFilterSql';

// Triage of episodes: the change applies to every hit of the episode (a person's decision replaces a rule's, as for
// hits) and is recorded on the episode, so hits that join it later (lib/episodes/maintainEpisodes.ts) take it too.
// Setting `new` clears the decision. One audit row per action, whatever the number of hits.

export const MAX_SELECTED_EPISODES = 1000;

export type EpisodeTarget = { episodeIds: string[] } | { filter: HitFilter };

export interface EpisodeChange {
  status?: HitStatus;
  assigneeId?: string | null; // undefined leaves it alone, null unassigns
}

export async function triageEpisodes(
  actor: Actor,
  target: EpisodeTarget,
  change: EpisodeChange,
): Promise<{ episodes: number; hits: number }> {
  authoriseTriage(actor, 'change');
  if (change.status === undefined && change.assigneeId === undefined)
    throw new TriageError('nothing to change: give a status or an assignee');
  if (change.status !== undefined && !STATUSES.includes(change.status))
    throw new TriageError(`status: one of ${STATUSES.join(', ')}`);
  if (change.assigneeId) await assertAssignable(change.assigneeId);
  const where = targetSql(target);
  const status = change.status ?? null;
  const setStatus = change.status !== undefined;
  const setAssignee = change.assigneeId !== undefined;
  const assignee = change.assigneeId ?? null;
  const sql = Prisma.sql`
    WITH chosen AS (
      UPDATE episode SET
        decided_status = CASE WHEN ${setStatus} THEN NULLIF(${status}::text, 'new') ELSE decided_status END,
        decided_assignee_id = CASE WHEN ${setAssignee} THEN ${assignee}::text ELSE decided_assignee_id END,
        decided_by = ${actor.label}, decided_at = now(), updated_at = now()
      WHERE ${where} RETURNING id
    ), changed AS (
      UPDATE hit SET
        status = CASE WHEN ${setStatus} THEN ${status}::text ELSE status END,
        suppression_rule_id = CASE WHEN ${setStatus} THEN NULL ELSE suppression_rule_id END,
        triaged_at = CASE WHEN NOT ${setStatus} THEN triaged_at WHEN ${status}::text = 'new' THEN NULL
                          ELSE COALESCE(triaged_at, now()) END,
        assignee_id = CASE WHEN ${setAssignee} THEN ${assignee}::text ELSE assignee_id END,
        updated_at = now()
      WHERE episode_id IN (SELECT id FROM chosen) AND evidence_valid
        AND ((${setStatus} AND status <> ${status}::text) OR (${setAssignee} AND assignee_id IS DISTINCT FROM ${assignee}::text))
      RETURNING id
    )
    SELECT (SELECT array_agg(id::text ORDER BY id) FROM chosen) AS episodes, (SELECT count(*)::int FROM changed) AS hits`;
  // Under the match lock (shared): a running match waits for the triage's row locks, or the triage for the match's.
  const { rows } = await withTriageLock((client) =>
    client.query<{ episodes: string[] | null; hits: number }>(sql.text, sql.values as unknown[]),
  );
  const ids = rows[0].episodes ?? [];
  const single = 'episodeIds' in target && target.episodeIds.length === 1;
  await audit(
    actor,
    single ? 'episode.triage' : 'episodes.triage-bulk',
    single
      ? `episode:${target.episodeIds[0]}`
      : 'filter' in target
        ? `filter:${serialiseHitFilter(target.filter).toString() || '(default range)'}`
        : `episodes:${target.episodeIds.length}`,
    { ...change, episodes: ids.length, hitsUpdated: rows[0].hits, ...(ids.length <= 1000 ? { episodeIds: ids } : {}) },
  );
  return { episodes: ids.length, hits: rows[0].hits };
}

function targetSql(target: EpisodeTarget): Prisma.Sql {
  if ('filter' in target) return episodeFilterSql(target.filter);
  if (!target.episodeIds.length) throw new TriageError('select at least one episode');
  if (target.episodeIds.length > MAX_SELECTED_EPISODES)
    throw new TriageError(`at most ${MAX_SELECTED_EPISODES} selected episodes; use "all filtered episodes" for more`);
  const bad = target.episodeIds.find((id) => !/^\d{1,19}$/.test(id));
  if (bad !== undefined) throw new TriageError(`episode id "${bad.slice(0, 40)}" is not a number`);
  return Prisma.sql`episode.id = ANY(${target.episodeIds}::bigint[])`;
}

async function assertAssignable(userId: string): Promise<void> {
  const { rows } = await getPool().query(
    `SELECT 1 FROM "user" WHERE id = $1 AND role IN ('analyst', 'admin') AND banned IS NOT TRUE`,
    [userId],
  );
  if (!rows.length) throw new TriageError('assignee: not an active analyst or admin');
}
