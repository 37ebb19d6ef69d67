'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { triageEpisodesAction } from '@/lib/episodes/actions';
import { bulkTriageAction, type TriageActionResult } from '@/lib/triage/actions';
import { STATUS_LABELS, TRIAGE_STATUSES } from './statusLabels';
import { useKeyboardTriage, type KeyboardTarget } from './useKeyboardTriage';

const control = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950';

type Target = { ids: string[] } | { filterQuery: string };

/** What the bar triages: hits (the Hits page) or episodes (all their hits, and hits that join them later). */
export interface TriageKind {
  label: string; // the group's accessible name
  plural: string; // "hits"
  rowParam: string; // the URL key of the opened row, which is not part of the filter
  keyboard: KeyboardTarget;
  confirmNote: string; // added to the "all N filtered" confirmation
  triage: (target: Target, change: { status: string }) => Promise<TriageActionResult>;
}

export const HIT_TRIAGE: TriageKind = {
  label: 'Bulk triage',
  plural: 'hits',
  rowParam: 'hit',
  keyboard: { rows: 'table[aria-label="Hits"] tbody tr[data-hit-id]', detail: 'a[href*="hit="]' },
  confirmNote: '',
  triage: (target, change) => bulkTriageAction('ids' in target ? { hitIds: target.ids } : target, change),
};

export const EPISODE_TRIAGE: TriageKind = {
  label: 'Episode triage',
  plural: 'episodes',
  rowParam: 'episode',
  keyboard: { rows: 'table[aria-label="Episodes"] tbody tr[data-episode-id]', detail: 'a[href*="episode="]' },
  confirmNote: ' (and all their hits)',
  triage: (target, change) => triageEpisodesAction('ids' in target ? { episodeIds: target.ids } : target, change),
};

const PAGE_KEYS = ['after', 'before', 'sort', 'dir', 'size'];

/**
 * Status change on the selected rows, or on every row the current filter matches (the server applies the filter; no
 * ids travel). Keyboard: j/k move, x selects, Enter opens, s jumps to the status menu.
 */
export function TriageBar({
  kind,
  selectedIds,
  total,
  onDone,
}: {
  kind: TriageKind;
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
  useKeyboardTriage(statusMenu, kind.keyboard);
  const effectiveScope = selectedIds.length ? scope : 'filtered';
  useEffect(() => setResult(null), [searchParams]); // eslint-disable-line react-hooks/set-state-in-effect -- a new filter makes the last message stale
  const apply = (status: string) => {
    if (!status) return;
    if (
      effectiveScope === 'filtered' &&
      !window.confirm(
        `Set the status of all ${total.toLocaleString('en')} ${kind.plural} matching this filter${kind.confirmNote} to "${status.replace('_', ' ')}"?`,
      )
    )
      return;
    const filterQuery = new URLSearchParams(
      [...searchParams.entries()].filter(([key]) => key !== kind.rowParam && !PAGE_KEYS.includes(key)),
    ).toString();
    startTransition(async () => {
      const outcome = await kind.triage(effectiveScope === 'selected' ? { ids: selectedIds } : { filterQuery }, {
        status,
      });
      setResult(outcome);
      if (outcome.ok) {
        onDone();
        router.refresh();
      }
    });
  };
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label={kind.label} role="group">
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
