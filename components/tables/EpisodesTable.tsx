'use client';

import { useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'next/navigation';
import type { EpisodeRow } from '@/lib/queries/listEpisodesPage';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { EPISODE_TRIAGE, TriageBar } from '@/components/triage/TriageBar';
import { DEFAULT_HIDDEN_EPISODE_COLUMNS, episodeColumns } from './episodeColumns';
import { ServerTable } from './ServerTable';

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

/** The Episodes table (ServerTable); a row's time expands it (`episode` in the URL) to its hits and timeline. */
export function EpisodesTable({ tz, expandedId, expanded, canTriage, ...page }: EpisodesTableProps) {
  const searchParams = useSearchParams();
  const columns = useMemo(() => {
    const expandHref = (id: string) => {
      const params = new URLSearchParams(searchParams.toString());
      if (id === expandedId) params.delete('episode');
      else params.set('episode', id);
      const query = params.toString();
      return query ? `/episodes?${query}` : '/episodes';
    };
    return episodeColumns({ tz, expandHref, expandedId });
  }, [tz, searchParams, expandedId]);
  return (
    <ServerTable
      label="Episodes"
      noun={['episode', 'episodes']}
      path="/episodes"
      rowParam="episode"
      storageKey="torwatch-episodes-columns"
      defaultHidden={DEFAULT_HIDDEN_EPISODE_COLUMNS}
      columns={columns}
      activeId={expandedId}
      expanded={expanded}
      actions={
        canTriage
          ? ({ selectedIds, total, clear }) => (
              <TriageBar kind={EPISODE_TRIAGE} selectedIds={selectedIds} total={total} onDone={clear} />
            )
          : undefined
      }
      {...page}
    />
  );
}
