'use client';

import Link from 'next/link';
import { Fragment, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTable, type ColumnVisibilityState, type RowSelectionState, type SortingState } from '@tanstack/react-table';
import type { EpisodeRow } from '@/lib/queries/listEpisodesPage';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { useSearchParamUpdater } from '@/components/filters/useSearchParamUpdater';
import { ColumnChooser } from './ColumnChooser';
import { EpisodeTriageBar } from '@/components/triage/EpisodeTriageBar';
import { DEFAULT_HIDDEN_EPISODE_COLUMNS, episodeColumns, episodeTableFeatures } from './episodeColumns';

const STORAGE_KEY = 'torwatch-episodes-columns';

export interface EpisodesTableProps {
  rows: EpisodeRow[];
  total: number;
  sort: string;
  dir: 'asc' | 'desc';
  nextCursor: string | null;
  prevCursor: string | null;
  tz: TimeZoneMode;
  expandedId?: string;
  expanded?: ReactNode; // the expanded episode's hits and timeline, rendered on the server
  canTriage?: boolean; // analysts and admins get bulk and keyboard triage
}

/** The Episodes table: data, sort and pages come from the server; sort, paging and the expanded row are in the URL. */
export function EpisodesTable({
  rows,
  total,
  sort,
  dir,
  nextCursor,
  prevCursor,
  tz,
  expandedId,
  expanded,
  canTriage,
}: EpisodesTableProps) {
  const { update, searchParams, pending } = useSearchParamUpdater();
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(DEFAULT_HIDDEN_EPISODE_COLUMNS);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  useEffect(() => {
    try {
      const saved = localStorage.getItem(STORAGE_KEY);
      if (saved) setColumnVisibility({ ...DEFAULT_HIDDEN_EPISODE_COLUMNS, ...JSON.parse(saved) }); // eslint-disable-line react-hooks/set-state-in-effect -- localStorage exists only after hydration
    } catch {
      /* a corrupt entry falls back to the defaults */
    }
  }, []);
  const changeVisibility = (next: ColumnVisibilityState | ((old: ColumnVisibilityState) => ColumnVisibilityState)) => {
    setColumnVisibility((old) => {
      const value = typeof next === 'function' ? next(old) : next;
      localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      return value;
    });
  };
  const expandHref = useMemo(
    () => (id: string) => {
      const params = new URLSearchParams(searchParams.toString());
      if (id === expandedId) params.delete('episode');
      else params.set('episode', id);
      const query = params.toString();
      return query ? `/episodes?${query}` : '/episodes';
    },
    [searchParams, expandedId],
  );
  const columns = useMemo(() => episodeColumns({ tz, expandHref, expandedId }), [tz, expandHref, expandedId]);
  const sorting: SortingState = [{ id: sort, desc: dir === 'desc' }];
  const table = useTable({
    features: episodeTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility, rowSelection },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const [first] = next;
      if (first)
        update((p) => {
          p.set('sort', first.id);
          p.set('dir', first.desc ? 'desc' : 'asc');
        });
    },
    onColumnVisibilityChange: changeVisibility,
    onRowSelectionChange: setRowSelection,
  });
  const pageHref = (key: 'after' | 'before', cursor: string) => {
    const params = new URLSearchParams(searchParams.toString());
    params.delete('after');
    params.delete('before');
    params.delete('episode');
    params.set(key, cursor);
    return `/episodes?${params}`;
  };
  const selected = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p aria-live="polite">
          <strong data-testid="episode-total">{total.toLocaleString('en')}</strong>{' '}
          {total === 1 ? 'episode' : 'episodes'}
          {selected.length ? <span className="ml-2 text-slate-500">· {selected.length} selected</span> : null}
          {pending ? <span className="ml-2 text-slate-500">· loading…</span> : null}
        </p>
        <div id="episode-bulk-actions" className="flex items-center gap-2">
          {canTriage ? (
            <EpisodeTriageBar selectedIds={selected} total={total} onDone={() => setRowSelection({})} />
          ) : null}
          <ColumnChooser table={table} />
        </div>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label="Episodes" aria-busy={pending}>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className="whitespace-nowrap px-3 py-2 font-medium"
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 uppercase hover:text-violet-700 focus-visible:outline-2 focus-visible:outline-violet-600"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden>{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <Fragment key={row.id}>
                <tr
                  data-episode-id={row.id}
                  aria-selected={row.id === expandedId}
                  className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${row.id === expandedId ? 'bg-violet-50 dark:bg-violet-950/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/40'}`}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-1.5 align-top">
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
                {row.id === expandedId && expanded ? (
                  <tr className="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-950">
                    <td colSpan={row.getVisibleCells().length} className="px-3 py-3">
                      {expanded}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
        {prevCursor || nextCursor ? (
          <Link
            href={pageHref('after', '').replace(/&?after=$/, '')}
            className="rounded-md px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            First page
          </Link>
        ) : null}
        {prevCursor ? (
          <Link
            rel="prev"
            href={pageHref('before', prevCursor)}
            className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            ← Previous
          </Link>
        ) : (
          <span
            className="rounded-md border border-slate-200 px-3 py-1 text-slate-400 dark:border-slate-800"
            aria-disabled
          >
            ← Previous
          </span>
        )}
        {nextCursor ? (
          <Link
            rel="next"
            href={pageHref('after', nextCursor)}
            className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Next →
          </Link>
        ) : (
          <span
            className="rounded-md border border-slate-200 px-3 py-1 text-slate-400 dark:border-slate-800"
            aria-disabled
          >
            Next →
          </span>
        )}
      </nav>
    </div>
  );
}
