'use client';

import Link from 'next/link';
import { createColumnHelper } from '@tanstack/react-table';
import type { EpisodeRow } from '@/lib/queries/listEpisodesPage';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { StatusBadge } from '@/components/hits/badges';
import { countryName } from '@/components/hits/countryName';
import { Timestamp } from '@/components/hits/Timestamp';

import type { ServerTableFeatures } from './ServerTable';
import { confidenceColumn, deviceColumn, exitColumn, processColumn, selectColumn } from './commonColumns';

/** Country codes listed in an episode row before "+N". */
const SHOWN_COUNTRIES = 4;

const helper = createColumnHelper<ServerTableFeatures, EpisodeRow>();

/** Column ids equal the server's sort keys where a column sorts (lib/episodes/episodeSort.ts). */
export function episodeColumns({
  tz,
  expandHref,
  expandedId,
}: {
  tz: TimeZoneMode;
  expandHref: (id: string) => string;
  expandedId?: string;
}) {
  return helper.columns([
    selectColumn<EpisodeRow>('episode', 'episodes'),
    helper.accessor('lastSeen', {
      id: 'lastSeen',
      header: 'Last seen',
      cell: ({ row }) => (
        <Link
          href={expandHref(row.original.id)}
          scroll={false}
          aria-expanded={row.original.id === expandedId}
          aria-label={`${row.original.id === expandedId ? 'Collapse' : 'Expand'} episode ${row.original.id}`}
          className="inline-flex items-center gap-1 text-violet-800 underline-offset-2 hover:underline dark:text-violet-300"
        >
          <span aria-hidden>{row.original.id === expandedId ? '▾' : '▸'}</span>
          <Timestamp iso={row.original.lastSeen} tz={tz} />
        </Link>
      ),
    }),
    helper.accessor('firstSeen', {
      id: 'firstSeen',
      header: 'First seen',
      cell: (info) => <Timestamp iso={info.getValue()} tz={tz} />,
    }),
    deviceColumn<EpisodeRow>(),
    processColumn<EpisodeRow>(<span className="text-slate-500">(no process)</span>),
    helper.accessor('hitCount', {
      id: 'hits',
      header: 'Hits',
      cell: ({ row }) => (
        <span className="tabular-nums" title={`${row.original.openHits} open`}>
          {row.original.hitCount.toLocaleString('en')}
          {row.original.openHits && row.original.openHits !== row.original.hitCount ? (
            <span className="text-xs text-slate-500"> ({row.original.openHits} open)</span>
          ) : null}
        </span>
      ),
    }),
    helper.accessor((e) => e.relayFingerprints.length, {
      id: 'relays',
      header: 'Relays',
      enableSorting: false,
      cell: (info) => <span className="tabular-nums">{info.getValue()}</span>,
    }),
    helper.accessor('countryCodes', {
      id: 'countries',
      header: 'Countries',
      enableSorting: false,
      // Codes only, the first few (an episode can span a dozen countries, which made rows five lines tall); every
      // name is in the tooltip and the expanded row.
      cell: (info) => {
        const codes = info.getValue();
        const shown = codes.length > SHOWN_COUNTRIES + 1 ? codes.slice(0, SHOWN_COUNTRIES) : codes;
        return (
          <span title={codes.map(countryName).join(', ')} className="font-mono text-xs">
            {codes.length ? shown.join(' ').toUpperCase() : '—'}
            {shown.length < codes.length ? (
              <span className="text-slate-500"> +{codes.length - shown.length}</span>
            ) : null}
          </span>
        );
      },
    }),
    helper.accessor((e) => e.ports.join(', '), { id: 'ports', header: 'Ports', enableSorting: false }),
    exitColumn<EpisodeRow>(),
    confidenceColumn<EpisodeRow>((episode) => episode.maxConfidence),
    helper.accessor('status', {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <span className="inline-flex items-center gap-1">
          <StatusBadge status={row.original.status} />
          {row.original.decidedStatus ? (
            <span className="text-xs text-slate-500" title="Hits that join this episode take this decision">
              decided
            </span>
          ) : null}
        </span>
      ),
    }),
  ]);
}

export const DEFAULT_HIDDEN_EPISODE_COLUMNS: Record<string, boolean> = { ports: false, isExit: false };
