'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formFields, serverAction } from '@/lib/auth/serverAction';
import { HitFilterError, parseHitFilter, STATUSES } from '@/lib/hits/filters';
import { addHitNote } from './addHitNote';
import { createSuppressionRule, expireSuppressionRule } from './suppressionRules';
import { CRITERIA } from './suppressionRuleInput';
import { TriageError, triageHits, type TriageTarget } from './triageHits';

// Server actions for triage (analysts and admins; viewers see the state read-only), through the one action wrapper
// (lib/auth/serverAction.ts): each answers with a message the UI shows, never a stack trace.

export interface TriageActionResult {
  ok: boolean;
  message: string;
}

const fail = (message: string): TriageActionResult => ({ ok: false, message });
const expected = [TriageError, HitFilterError];
const hitId = z.string().min(1).max(40);
const status = z.enum(STATUSES, `status: one of ${STATUSES.join(', ')}`);
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

export const setHitStatusAction = serverAction(
  {
    name: 'setHitStatusAction',
    role: 'analyst',
    input: z.object({ hitId, status }),
    from: (hitId: string, status: string) => ({ hitId, status }),
    fail,
    expected,
  },
  async ({ actor, input }): Promise<TriageActionResult> => {
    await triageHits(actor, { hitIds: [input.hitId] }, { status: input.status });
    revalidatePath('/hits', 'layout');
    return { ok: true, message: `Status set to ${input.status.replace('_', ' ')}.` };
  },
);

export const setHitAssigneeAction = serverAction(
  {
    name: 'setHitAssigneeAction',
    role: 'analyst',
    input: z.object({ hitId, assigneeId: z.string().max(100) }),
    from: (hitId: string, assigneeId: string) => ({ hitId, assigneeId }),
    fail,
    expected,
  },
  async ({ actor, input }): Promise<TriageActionResult> => {
    await triageHits(actor, { hitIds: [input.hitId] }, { assigneeId: input.assigneeId || null });
    revalidatePath('/hits', 'layout');
    return { ok: true, message: input.assigneeId ? 'Assigned.' : 'Unassigned.' };
  },
);

export const addHitNoteAction = serverAction(
  {
    name: 'addHitNoteAction',
    role: 'analyst',
    input: z.object({ hitId, body: z.string() }),
    from: (hitId: string, body: string) => ({ hitId, body }),
    fail,
    expected,
  },
  async ({ actor, input }): Promise<TriageActionResult> => {
    await addHitNote(actor, input.hitId, input.body);
    revalidatePath('/hits', 'layout');
    return { ok: true, message: 'Note added.' };
  },
);

/** Bulk: `hitIds` (the selection) or `filterQuery` (the hits page's search params: every hit the filter matches). */
export const bulkTriageAction = serverAction(
  {
    name: 'bulkTriageAction',
    role: 'analyst',
    input: z.object({
      target: z.object({
        hitIds: z.array(z.string().max(40)).optional(),
        filterQuery: z.string().max(8192).optional(),
      }),
      change: z.object({ status: status.optional(), assigneeId: z.string().max(100).nullable().optional() }),
    }),
    from: (
      target: { hitIds?: string[]; filterQuery?: string },
      change: { status?: string; assigneeId?: string | null },
    ) => ({ target, change }),
    fail,
    expected,
  },
  async ({ actor, input: { target, change } }): Promise<TriageActionResult> => {
    const resolved: TriageTarget = target.hitIds
      ? { hitIds: target.hitIds }
      : { filter: parseHitFilter(new URLSearchParams(target.filterQuery ?? '')) };
    const { updated } = await triageHits(actor, resolved, { status: change.status, assigneeId: change.assigneeId });
    revalidatePath('/hits', 'layout');
    return { ok: true, message: `${plural(updated, 'hit')} updated.` };
  },
);

export interface RuleFormState extends TriageActionResult {
  values?: Record<string, string>;
}

/** The rule form: only criteria whose "use" box is ticked count; after creating, go where the form says (back to the hits). */
export const createSuppressionRuleAction = serverAction(
  {
    name: 'createSuppressionRuleAction',
    role: 'analyst',
    input: z.record(z.string(), z.string()),
    from: (_previous: RuleFormState, form: FormData) => formFields(form),
    fail: (message): RuleFormState => ({ ok: false, message }),
    expected,
  },
  async ({ actor, input: values }): Promise<RuleFormState> => {
    const input: Record<string, string | undefined> = {
      reason: values.reason,
      expiresAt: values.expiresAt ? `${values.expiresAt}T00:00:00Z` : undefined,
    };
    for (const criterion of CRITERIA) if (values[`use-${criterion}`] === 'on') input[criterion] = values[criterion];
    let suppressed: number;
    try {
      ({ suppressed } = await createSuppressionRule(actor, input));
    } catch (error) {
      // The form keeps what was typed: answer here rather than through the wrapper's generic failure.
      if (error instanceof z.ZodError) {
        const issue = error.issues[0];
        return { ok: false, message: `${String(issue.path[0] ?? 'rule')}: ${issue.message}`, values };
      }
      if (error instanceof TriageError) return { ok: false, message: error.message, values };
      throw error;
    }
    revalidatePath('/rules');
    revalidatePath('/hits', 'layout');
    const back = values.returnTo?.startsWith('/hits') ? values.returnTo : '/rules';
    redirect(`${back}${back.includes('?') ? '&' : '?'}suppressed=${suppressed}`);
  },
);

export const expireSuppressionRuleAction = serverAction(
  {
    name: 'expireSuppressionRuleAction',
    role: 'analyst',
    input: z.object({ id: z.string().min(1).max(100), restore: z.string().optional() }),
    from: (form: FormData) => formFields(form),
    fail: () => undefined,
    expected,
  },
  async ({ actor, input }): Promise<void> => {
    await expireSuppressionRule(actor, input.id, { restoreHits: input.restore === 'on' });
    revalidatePath('/rules');
    revalidatePath('/hits', 'layout');
  },
);
