'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { ZodError } from 'zod';
import { requireActionRole } from '@/lib/auth/guard';
import { parseHitFilter, STATUSES, type HitStatus } from '@/lib/hits/filters';
import { addHitNote } from './addHitNote';
import { createSuppressionRule, expireSuppressionRule } from './suppressionRules';
import { CRITERIA } from './suppressionRuleInput';
import { triageHits, type TriageTarget } from './triageHits';

// Server actions for triage (analysts and admins; viewers see the state read-only). Each answers with a message the
// UI shows, never a stack trace.

export interface TriageActionResult {
  ok: boolean;
  message: string;
}

function failure(error: unknown): TriageActionResult {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return { ok: false, message: `${String(issue.path[0] ?? 'rule')}: ${issue.message}` };
  }
  return { ok: false, message: (error as Error).message };
}

const isStatus = (value: string): value is HitStatus => (STATUSES as readonly string[]).includes(value);
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

export async function setHitStatusAction(hitId: string, status: string): Promise<TriageActionResult> {
  try {
    const actor = await requireActionRole('analyst');
    if (!isStatus(status)) return { ok: false, message: `status: one of ${STATUSES.join(', ')}` };
    await triageHits(actor, { hitIds: [hitId] }, { status });
    revalidatePath('/hits', 'layout');
    return { ok: true, message: `Status set to ${status.replace('_', ' ')}.` };
  } catch (error) {
    return failure(error);
  }
}

export async function setHitAssigneeAction(hitId: string, assigneeId: string): Promise<TriageActionResult> {
  try {
    const actor = await requireActionRole('analyst');
    await triageHits(actor, { hitIds: [hitId] }, { assigneeId: assigneeId || null });
    revalidatePath('/hits', 'layout');
    return { ok: true, message: assigneeId ? 'Assigned.' : 'Unassigned.' };
  } catch (error) {
    return failure(error);
  }
}

export async function addHitNoteAction(hitId: string, body: string): Promise<TriageActionResult> {
  try {
    const actor = await requireActionRole('analyst');
    await addHitNote(actor, hitId, body);
    revalidatePath('/hits', 'layout');
    return { ok: true, message: 'Note added.' };
  } catch (error) {
    return failure(error);
  }
}

/** Bulk: `hitIds` (the selection) or `filterQuery` (the hits page's search params: every hit the filter matches). */
export async function bulkTriageAction(
  target: { hitIds?: string[]; filterQuery?: string },
  change: { status?: string; assigneeId?: string | null },
): Promise<TriageActionResult> {
  try {
    const actor = await requireActionRole('analyst');
    if (change.status !== undefined && !isStatus(change.status))
      return { ok: false, message: `status: one of ${STATUSES.join(', ')}` };
    const resolved: TriageTarget = target.hitIds
      ? { hitIds: target.hitIds }
      : { filter: parseHitFilter(new URLSearchParams(target.filterQuery ?? '')) };
    const { updated } = await triageHits(actor, resolved, {
      status: change.status as HitStatus | undefined,
      assigneeId: change.assigneeId,
    });
    revalidatePath('/hits', 'layout');
    return { ok: true, message: `${plural(updated, 'hit')} updated.` };
  } catch (error) {
    return failure(error);
  }
}

export interface RuleFormState extends TriageActionResult {
  values?: Record<string, string>;
}

/** The rule form: only criteria whose "use" box is ticked count; after creating, go where the form says (back to the hits). */
export async function createSuppressionRuleAction(_previous: RuleFormState, form: FormData): Promise<RuleFormState> {
  const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  let target: string;
  try {
    const actor = await requireActionRole('analyst');
    const input: Record<string, string | undefined> = {
      reason: values.reason,
      expiresAt: values.expiresAt ? `${values.expiresAt}T00:00:00Z` : undefined,
    };
    for (const criterion of CRITERIA) if (values[`use-${criterion}`] === 'on') input[criterion] = values[criterion];
    const { suppressed } = await createSuppressionRule(actor, input);
    revalidatePath('/rules');
    revalidatePath('/hits', 'layout');
    const back = values.returnTo?.startsWith('/hits') ? values.returnTo : '/rules';
    target = `${back}${back.includes('?') ? '&' : '?'}suppressed=${suppressed}`;
  } catch (error) {
    return { ...failure(error), values };
  }
  redirect(target);
}

export async function expireSuppressionRuleAction(form: FormData): Promise<void> {
  const actor = await requireActionRole('analyst');
  await expireSuppressionRule(actor, String(form.get('id') ?? ''), { restoreHits: form.get('restore') === 'on' });
  revalidatePath('/rules');
  revalidatePath('/hits', 'layout');
}
