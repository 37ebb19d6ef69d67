import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { withTriageLock } from '@/lib/db/matchLock';
import { getPool } from '@/lib/db/pool';
import { serialiseHitFilter, STATUSES, type HitFilter, type HitStatus } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { authoriseTriage } from '@/lib/auth/authorise';

// Status and assignee changes, on one hit, on selected hits, or on every hit a filter matches (the server applies the
// filter: a bulk action never ships 50,000 ids). Every change lands in the audit log.

export const MAX_SELECTED_HITS = 1000;
const AUDITED_IDS = 1000;

export type TriageTarget = { hitIds: string[] } | { filter: HitFilter };

export interface TriageChange {
  status?: HitStatus;
  assigneeId?: string | null; // undefined leaves it alone, null unassigns
}

export class TriageError extends Error {}

export async function triageHits(
  actor: Actor,
  target: TriageTarget,
  change: TriageChange,
): Promise<{ updated: number }> {
  authoriseTriage(actor, 'change');
  if (change.status === undefined && change.assigneeId === undefined)
    throw new TriageError('nothing to change: give a status or an assignee');
  if (change.status !== undefined && !STATUSES.includes(change.status))
    throw new TriageError(`status: one of ${STATUSES.join(', ')}`);
  if (change.assigneeId) await assertAssignable(change.assigneeId);

  const sets: Prisma.Sql[] = [Prisma.sql`updated_at = now()`];
  const changed: Prisma.Sql[] = [];
  if (change.status !== undefined) {
    // A person's decision replaces a rule's: the hit no longer counts as suppressed by that rule.
    sets.push(Prisma.sql`status = ${change.status}, suppression_rule_id = NULL,
      triaged_at = CASE WHEN ${change.status} = 'new' THEN NULL ELSE COALESCE(triaged_at, now()) END`);
    changed.push(Prisma.sql`status <> ${change.status}`);
  }
  if (change.assigneeId !== undefined) {
    sets.push(Prisma.sql`assignee_id = ${change.assigneeId}`);
    changed.push(Prisma.sql`assignee_id IS DISTINCT FROM ${change.assigneeId}`);
  }
  const where = targetSql(target);
  const sql = Prisma.sql`UPDATE hit SET ${Prisma.join(sets, ', ')} WHERE ${where} AND (${Prisma.join(changed, ' OR ')}) RETURNING id::text`;
  // Under the match lock (shared), as every hit triage: docs/architecture.md §7.7.
  const { rows } = await withTriageLock((client) => client.query<{ id: string }>(sql.text, sql.values as unknown[]));
  const ids = rows.map((r) => r.id);
  const single = 'hitIds' in target && target.hitIds.length === 1;
  await audit(
    actor,
    single ? 'hit.triage' : 'hits.triage-bulk',
    single ? `hit:${target.hitIds[0]}` : describeTarget(target),
    {
      ...change,
      updated: ids.length,
      ...(ids.length <= AUDITED_IDS ? { hitIds: ids } : {}),
    },
  );
  return { updated: ids.length };
}

function targetSql(target: TriageTarget): Prisma.Sql {
  if ('filter' in target) return hitFilterSql(target.filter);
  if (!target.hitIds.length) throw new TriageError('select at least one hit');
  if (target.hitIds.length > MAX_SELECTED_HITS)
    throw new TriageError(`at most ${MAX_SELECTED_HITS} selected hits; use "all filtered hits" for more`);
  const bad = target.hitIds.find((id) => !/^\d{1,19}$/.test(id));
  if (bad !== undefined) throw new TriageError(`hit id "${bad.slice(0, 40)}" is not a number`);
  return Prisma.sql`id = ANY(${target.hitIds}::bigint[])`;
}

function describeTarget(target: TriageTarget): string {
  return 'filter' in target
    ? `filter:${serialiseHitFilter(target.filter).toString() || '(default range)'}`
    : `hits:${target.hitIds.length}`;
}

async function assertAssignable(userId: string): Promise<void> {
  const { rows } = await getPool().query(
    `SELECT 1 FROM "user" WHERE id = $1 AND role IN ('analyst', 'admin') AND banned IS NOT TRUE`,
    [userId],
  );
  if (!rows.length) throw new TriageError('assignee: not an active analyst or admin');
}
