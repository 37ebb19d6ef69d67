import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import type { HitStatus } from '@/lib/hits/hitValues';
import { authoriseTriage } from '@/lib/auth/authorise';
import { addHitNote } from './addHitNote';
import { getHitTriage, type HitTriage } from './getHitTriage';
import { TriageError, triageHits } from './triageHits';

/** A change to one hit through the API: any of status, assignee (an e-mail; null unassigns) and a note. */
export interface HitChange {
  status?: HitStatus;
  assignee?: string | null;
  note?: string;
}

/**
 * Applies the change to one hit — status and assignee in one update, then the note — and returns the hit's triage
 * state after it; null when there is no such hit. Everything is checked before anything is written; each part is
 * audited (triageHits, addHitNote).
 */
export async function changeHit(actor: Actor, hitId: string, change: HitChange): Promise<HitTriage | null> {
  authoriseTriage(actor, 'change');
  if ((await getHitTriage(actor, hitId)) === null) return null;
  const assigneeId =
    change.assignee === undefined
      ? undefined
      : change.assignee === null
        ? null
        : await assigneeByEmail(change.assignee);
  if (change.status !== undefined || assigneeId !== undefined)
    await triageHits(actor, { hitIds: [hitId] }, { status: change.status, assigneeId });
  if (change.note !== undefined) await addHitNote(actor, hitId, change.note);
  return getHitTriage(actor, hitId);
}

async function assigneeByEmail(email: string): Promise<string> {
  const { rows } = await getPool().query<{ id: string }>(
    `SELECT id FROM "user" WHERE lower(email) = lower($1) AND role IN ('analyst', 'admin') AND banned IS NOT TRUE`,
    [email],
  );
  if (!rows.length) throw new TriageError(`assignee: ${email} is not an active analyst or admin`);
  return rows[0].id;
}
