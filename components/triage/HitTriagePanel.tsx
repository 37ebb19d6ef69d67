'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import {
  addHitNoteAction,
  setHitAssigneeAction,
  setHitStatusAction,
  type TriageActionResult,
} from '@/lib/triage/actions';
import type { HitTriage } from '@/lib/triage/getHitTriage';
import type { Assignee } from '@/lib/triage/listAssignees';
import { STATUS_LABELS, TRIAGE_STATUSES } from './statusLabels';
import { formatUtc } from '@/lib/time/formatUtc';

const control = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950';

/** Status, assignee and notes of one hit; read-only for viewers. */
export function HitTriagePanel({
  triage,
  assignees,
  canTriage,
  suppressHref,
}: {
  triage: HitTriage;
  assignees: Assignee[];
  canTriage: boolean;
  suppressHref: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<TriageActionResult | null>(null);
  const [note, setNote] = useState('');
  const run = (work: () => Promise<TriageActionResult>, after?: () => void) =>
    startTransition(async () => {
      const outcome = await work();
      setResult(outcome);
      if (outcome.ok) {
        after?.();
        router.refresh();
      }
    });
  return (
    <section
      aria-label="Triage"
      className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 dark:border-slate-800"
    >
      <h3 className="font-medium">Triage</h3>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-xs font-medium">
          Status
          <select
            aria-label="Status"
            className={control}
            value={triage.status}
            disabled={!canTriage || pending}
            onChange={(e) => run(() => setHitStatusAction(triage.hitId, e.target.value))}
          >
            {TRIAGE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs font-medium">
          Assignee
          <select
            aria-label="Assignee"
            className={control}
            value={triage.assigneeId ?? ''}
            disabled={!canTriage || pending}
            onChange={(e) => run(() => setHitAssigneeAction(triage.hitId, e.target.value))}
          >
            <option value="">(nobody)</option>
            {triage.assigneeId && !assignees.some((a) => a.id === triage.assigneeId) ? (
              <option value={triage.assigneeId}>{triage.assignee ?? triage.assigneeId}</option>
            ) : null}
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </select>
        </label>
        {canTriage ? (
          <Link
            href={suppressHref}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Suppress hits like this…
          </Link>
        ) : null}
      </div>
      {triage.suppressionRule ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Suppressed by{' '}
          <Link href={`/rules#rule-${triage.suppressionRule.id}`} className="underline">
            a rule
          </Link>
          : {triage.suppressionRule.reason}
        </p>
      ) : null}
      {triage.triagedAt ? <p className="text-xs text-slate-500">First triaged {formatUtc(triage.triagedAt)}</p> : null}
      {result ? (
        <p
          role={result.ok ? 'status' : 'alert'}
          className={`text-xs ${result.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
        >
          {result.message}
        </p>
      ) : null}
      <div>
        <h4 className="text-xs font-medium text-slate-600 dark:text-slate-400">Notes</h4>
        {triage.notes.length ? (
          <ol className="mt-1 flex flex-col gap-2" aria-label="Notes">
            {triage.notes.map((n) => (
              <li key={n.id} className="rounded bg-slate-50 px-2 py-1 dark:bg-slate-800/60">
                <p className="whitespace-pre-wrap break-words">{n.body}</p>
                <p className="text-xs text-slate-500">
                  {n.author} · {formatUtc(n.createdAt, { seconds: false })}
                </p>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-xs text-slate-500">No notes yet.</p>
        )}
        {canTriage ? (
          <form
            className="mt-2 flex flex-col gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              run(
                () => addHitNoteAction(triage.hitId, note),
                () => setNote(''),
              );
            }}
          >
            <label className="sr-only" htmlFor={`note-${triage.hitId}`}>
              New note
            </label>
            <textarea
              id={`note-${triage.hitId}`}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={2}
              maxLength={5000}
              placeholder="What did you find out?"
              className={control}
            />
            <button
              type="submit"
              disabled={pending || !note.trim()}
              className="self-start rounded-md bg-violet-700 px-3 py-1 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-50"
            >
              Add note
            </button>
          </form>
        ) : null}
      </div>
    </section>
  );
}
