'use client';

import { useMemo } from 'react';
import { useSearchParams } from 'next/navigation';
import type { HitRow } from '@/lib/queries/hitRowSql';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { HIT_TRIAGE, TriageBar } from '@/components/triage/TriageBar';
import { DEFAULT_HIDDEN_COLUMNS, hitColumns } from './hitColumns';
import { ServerTable } from './ServerTable';

export interface HitsTableProps {
  rows: HitRow[];
  total: number;
  sort: string;
  dir: 'asc' | 'desc';
  nextCursor: string | null;
  prevCursor: string | null;
  tz: TimeZoneMode;
  selectedId?: string;
  canTriage?: boolean; // analysts and admins get bulk and keyboard triage
}

/** The hits explorer table (ServerTable); a row's time opens its detail panel (`hit` in the URL). */
export function HitsTable({ tz, selectedId, canTriage, ...page }: HitsTableProps) {
  const searchParams = useSearchParams();
  const columns = useMemo(() => {
    const detailHref = (id: string) => {
      const params = new URLSearchParams(searchParams.toString());
      params.set('hit', id);
      return `/hits?${params}`;
    };
    return hitColumns({ tz, detailHref });
  }, [tz, searchParams]);
  return (
    <ServerTable
      label="Hits"
      noun={['hit', 'hits']}
      path="/hits"
      rowParam="hit"
      storageKey="torwatch-hits-columns"
      defaultHidden={DEFAULT_HIDDEN_COLUMNS}
      columns={columns}
      activeId={selectedId}
      actions={
        canTriage
          ? ({ selectedIds, total, clear }) => (
              <TriageBar kind={HIT_TRIAGE} selectedIds={selectedIds} total={total} onDone={clear} />
            )
          : undefined
      }
      {...page}
    />
  );
}
