'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { triageEpisodesAction } from '@/lib/episodes/actions';
import type { TriageActionResult } from '@/lib/triage/actions';
import { STATUS_LABELS, TRIAGE_STATUSES } from './statusLabels';
import { useKeyboardTriage } from './useKeyboardTriage';

const control = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950';
const PAGE_KEYS = ['episode', 'after', 'before', 'sort', 'dir', 'size'];
const KEYBOARD = { rows: 'table[aria-label="Episodes"] tbody tr[data-episode-id]', detail: 'a[href*="episode="]' };

/**
 * Status change on the selected episodes, or on every episode the filter matches: all their hits change, and hits
 * that join them later follow. Keyboard as on the hits page: j/k move, x selects, Enter expands, s the status menu.
 */
export function EpisodeTriageBar({
  selectedIds,
  total,
  onDone,
}: {
  selectedIds: string[];
  total: number;
  onDone: () => void;
}) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const [scope, setScope] = useState<'selected' | 'filtered'>('selected');
  const [result, setResult] = useState<TriageActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const statusMenu = useRef<HTMLSelectElement>(null);
  useKeyboardTriage(statusMenu, KEYBOARD);
  const effectiveScope = selectedIds.length ? scope : 'filtered';
  useEffect(() => setResult(null), [searchParams]); // eslint-disable-line react-hooks/set-state-in-effect -- a new filter makes the last message stale
  const apply = (status: string) => {
    if (!status) return;
    const count = effectiveScope === 'selected' ? selectedIds.length : total;
    if (
      effectiveScope === 'filtered' &&
      !window.confirm(
        `Set the status of all ${count.toLocaleString('en')} episodes matching this filter (and all their hits) to "${status.replace('_', ' ')}"?`,
      )
    )
      return;
    const filterQuery = new URLSearchParams(
      [...searchParams.entries()].filter(([key]) => !PAGE_KEYS.includes(key)),
    ).toString();
    startTransition(async () => {
      const outcome = await triageEpisodesAction(
        effectiveScope === 'selected' ? { episodeIds: selectedIds } : { filterQuery },
        { status },
      );
      setResult(outcome);
      if (outcome.ok) {
        onDone();
        router.refresh();
      }
    });
  };
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Episode triage" role="group">
      <select
        aria-label="Apply to"
        className={control}
        value={effectiveScope}
        onChange={(e) => setScope(e.target.value as 'selected' | 'filtered')}
      >
        <option value="selected" disabled={!selectedIds.length}>
          {selectedIds.length} selected
        </option>
        <option value="filtered">all {total.toLocaleString('en')} filtered</option>
      </select>
      <select
        ref={statusMenu}
        aria-label="Set status"
        className={control}
        value=""
        disabled={pending}
        onChange={(e) => apply(e.target.value)}
      >
        <option value="">Set status… (s)</option>
        {TRIAGE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      {pending ? <span className="text-xs text-slate-500">saving…</span> : null}
      {result ? (
        <span
          role={result.ok ? 'status' : 'alert'}
          className={`text-xs ${result.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
        >
          {result.message}
        </span>
      ) : null}
    </div>
  );
}
