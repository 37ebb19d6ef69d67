import type { ReactNode } from 'react';
import { hasNarrowingFilter, type HitFilter } from '@/lib/hits/filters';
import { HitFilterBar, type FilterChoices } from '@/components/filters/HitFilterBar';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { RangePicker } from '@/components/filters/RangePicker';
import { ExportButtons } from '@/components/hits/ExportButtons';

// The frame the Hits and Episodes pages share (server component): header with export, the time range and filter bar
// (one filter model, lib/hits/filters.ts), and the empty state; the page puts its ServerTable inside.

export type SearchParams = Record<string, string | string[] | undefined>;

/** The URL query of `searchParams` without `keys` (the export takes the filter, not the page or the opened row). */
export function queryWithout(searchParams: SearchParams, ...keys: string[]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams))
    if (!keys.includes(key)) for (const v of [value ?? []].flat()) params.append(key, v);
  return params.toString();
}

/** A shared link whose filter or page parameters do not parse. */
export function InvalidListLink({ title, path, message }: { title: string; path: string; message: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        title="This link's filter is not valid"
        action={{ href: path, label: `Show all ${title.toLowerCase()}` }}
      >
        <span role="alert">{message}</span>
      </EmptyState>
    </>
  );
}

export function FilteredListPage({
  title,
  description,
  path,
  exportQuery,
  filter,
  choices,
  empty,
  emptyHint,
  children,
}: {
  title: string; // "Hits"
  description: string;
  path: string; // "/hits"; the export is `${path}/export`
  exportQuery: string | null; // null: no export (below analyst)
  filter: HitFilter;
  choices: FilterChoices;
  empty: boolean; // nothing matches (on the first page)
  emptyHint: string; // what to do when the period holds nothing
  children: ReactNode;
}) {
  const plural = title.toLowerCase();
  const narrowed = hasNarrowingFilter(filter);
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={exportQuery !== null ? <ExportButtons query={exportQuery} path={`${path}/export`} /> : null}
      />
      <div className="mb-4 flex flex-col gap-3">
        <RangePicker
          range={filter.range.kind}
          from={filter.range.kind === 'custom' ? filter.range.from.toISOString() : undefined}
          to={filter.range.kind === 'custom' ? filter.range.to.toISOString() : undefined}
          tz={filter.tz}
        />
        <HitFilterBar choices={choices} />
      </div>
      {empty ? (
        <EmptyState
          title={narrowed ? `No ${plural} match these filters` : `No ${plural} in this period`}
          action={narrowed ? { href: path, label: 'Clear filters' } : { href: '/ingest', label: 'Upload telemetry' }}
        >
          {narrowed ? 'Remove a filter or choose a longer time range.' : emptyHint}
        </EmptyState>
      ) : (
        children
      )}
    </>
  );
}
