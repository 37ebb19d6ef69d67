'use client';

import Link from 'next/link';
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import {
  columnVisibilityFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { useSearchParamUpdater } from '@/components/filters/useSearchParamUpdater';
import { ColumnChooser } from './ColumnChooser';

// The one server-side table behind the Hits and Episodes pages: data, sort and pages come from the server (keyset,
// lib/queries/keyset.ts), and sort, paging and the opened row live in the URL. Column visibility is remembered per
// browser; row selection feeds the page's triage bar; rows carry `data-<rowParam>-id` for keyboard triage.

export const serverTableFeatures = tableFeatures({ columnVisibilityFeature, rowSelectionFeature, rowSortingFeature });
export type ServerTableFeatures = typeof serverTableFeatures;

/** What a page hands its triage bar: the ticked rows of this page, the filter's total, and how to clear the ticks. */
export interface TableSelection {
  selectedIds: string[];
  total: number;
  clear: () => void;
}

export interface ServerTableProps<Row extends { id: string }> {
  label: string; // the table's accessible name: "Hits", "Episodes"
  noun: readonly [string, string]; // singular and plural, for the total
  path: string; // the page: "/hits"
  rowParam: string; // the URL key of the opened row ("hit", "episode"); paging closes it
  storageKey: string; // where the column choice is remembered
  defaultHidden: ColumnVisibilityState;
  columns: Array<ColumnDef<ServerTableFeatures, Row, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- column value types differ per column
  rows: Row[];
  total: number;
  sort: string;
  dir: 'asc' | 'desc';
  nextCursor: string | null;
  prevCursor: string | null;
  activeId?: string; // the opened row, highlighted
  expanded?: ReactNode; // shown under the active row
  actions?: (selection: TableSelection) => ReactNode; // the triage bar, for those who may triage
}

export function ServerTable<Row extends { id: string }>(props: ServerTableProps<Row>) {
  const { label, noun, path, rowParam, rows, total, activeId, expanded } = props;
  const { update, searchParams, pending } = useSearchParamUpdater();
  const [columnVisibility, changeVisibility] = useRememberedVisibility(props.storageKey, props.defaultHidden);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const sorting: SortingState = [{ id: props.sort, desc: props.dir === 'desc' }];
  const table = useTable({
    features: serverTableFeatures,
    columns: props.columns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility, rowSelection },
    onSortingChange: (updater) => {
      const [first] = typeof updater === 'function' ? updater(sorting) : updater;
      if (first)
        update((p) => {
          p.set('sort', first.id);
          p.set('dir', first.desc ? 'desc' : 'asc');
        });
    },
    onColumnVisibilityChange: changeVisibility,
    onRowSelectionChange: setRowSelection,
  });
  const pageHref = (key: 'after' | 'before' | null, cursor?: string) => {
    const params = new URLSearchParams(searchParams.toString());
    for (const k of ['after', 'before', rowParam]) params.delete(k);
    if (key && cursor) params.set(key, cursor);
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p aria-live="polite">
          <strong data-testid={`${rowParam}-total`}>{total.toLocaleString('en')}</strong>{' '}
          {total === 1 ? noun[0] : noun[1]}
          {selectedIds.length ? <span className="ml-2 text-slate-500">· {selectedIds.length} selected</span> : null}
          {pending ? <span className="ml-2 text-slate-500">· loading…</span> : null}
        </p>
        <div id={`${rowParam}-bulk-actions`} className="flex items-center gap-2">
          {props.actions?.({ selectedIds, total, clear: () => setRowSelection({}) })}
          <ColumnChooser table={table} />
        </div>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label={label} aria-busy={pending}>
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
                  {...{ [`data-${rowParam}-id`]: row.id }}
                  aria-selected={row.id === activeId}
                  className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${row.id === activeId ? 'bg-violet-50 dark:bg-violet-950/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/40'}`}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-1.5 align-top">
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
                {row.id === activeId && expanded ? (
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
      <PageLinks
        first={props.prevCursor || props.nextCursor ? pageHref(null) : null}
        prev={props.prevCursor ? pageHref('before', props.prevCursor) : null}
        next={props.nextCursor ? pageHref('after', props.nextCursor) : null}
      />
    </div>
  );
}

/** Column visibility that starts from the defaults and remembers the user's choice in localStorage. */
function useRememberedVisibility(storageKey: string, defaults: ColumnVisibilityState) {
  const [visibility, setVisibility] = useState<ColumnVisibilityState>(defaults);
  useEffect(() => {
    try {
      const saved = localStorage.getItem(storageKey);
      if (saved) setVisibility({ ...defaults, ...JSON.parse(saved) }); // eslint-disable-line react-hooks/set-state-in-effect -- localStorage exists only after hydration
    } catch {
      /* a corrupt entry falls back to the defaults */
    }
  }, [storageKey, defaults]);
  const change = (next: ColumnVisibilityState | ((old: ColumnVisibilityState) => ColumnVisibilityState)) => {
    setVisibility((old) => {
      const value = typeof next === 'function' ? next(old) : next;
      localStorage.setItem(storageKey, JSON.stringify(value));
      return value;
    });
  };
  return [visibility, change] as const;
}

const pageLink =
  'rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';
const noPage = 'rounded-md border border-slate-200 px-3 py-1 text-slate-400 dark:border-slate-800';

function PageLinks({ first, prev, next }: { first: string | null; prev: string | null; next: string | null }) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
      {first ? (
        <Link href={first} className="rounded-md px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800">
          First page
        </Link>
      ) : null}
      {prev ? (
        <Link rel="prev" href={prev} className={pageLink}>
          ← Previous
        </Link>
      ) : (
        <span className={noPage} aria-disabled>
          ← Previous
        </span>
      )}
      {next ? (
        <Link rel="next" href={next} className={pageLink}>
          Next →
        </Link>
      ) : (
        <span className={noPage} aria-disabled>
          Next →
        </span>
      )}
    </nav>
  );
}
