'use client';

import Link from 'next/link';
import { createColumnHelper } from '@tanstack/react-table';
import type { HitRow } from '@/lib/queries/hitRowSql';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { CountryLabel, StatusBadge } from '@/components/hits/badges';
import { Timestamp } from '@/components/hits/Timestamp';

import type { ServerTableFeatures } from './ServerTable';
import { confidenceColumn, deviceColumn, exitColumn, processColumn, selectColumn } from './commonColumns';

const helper = createColumnHelper<ServerTableFeatures, HitRow>();

export interface HitColumnContext {
  tz: TimeZoneMode;
  detailHref: (id: string) => string;
}

const mono = 'font-mono text-xs';

/** Column ids equal the server's sort keys where a column sorts (lib/hits/sort.ts); others cannot sort. */
export function hitColumns({ tz, detailHref }: HitColumnContext) {
  return helper.columns([
    selectColumn<HitRow>('hit', 'hits'),
    helper.accessor('ts', {
      id: 'ts',
      header: 'Time',
      cell: ({ row }) => (
        <Link
          href={detailHref(row.original.id)}
          scroll={false}
          className="text-violet-800 underline-offset-2 hover:underline dark:text-violet-300"
        >
          <Timestamp iso={row.original.ts} tz={tz} />
          {row.original.precision === 'hour' ? (
            <span
              className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100"
              title={`From an hourly summary (${row.original.summaryEvents} connection(s) in the hour): the raw events are past retention`}
            >
              hour
            </span>
          ) : null}
        </Link>
      ),
    }),
    deviceColumn<HitRow>(),
    processColumn<HitRow>(<span className="text-slate-400">—</span>),
    helper.accessor('remoteIp', {
      id: 'remoteIp',
      header: 'Remote IP',
      cell: (info) => <span className={mono}>{info.getValue()}</span>,
    }),
    helper.accessor('remotePort', {
      id: 'remotePort',
      header: 'Port',
      cell: (info) => <span className="tabular-nums">{info.getValue() ?? '—'}</span>,
    }),
    helper.accessor('country', {
      id: 'country',
      header: 'Country',
      cell: (info) => <CountryLabel code={info.getValue()} />,
    }),
    helper.accessor((hit) => hit.relayNicknames.join(', '), { id: 'relays', header: 'Relays', enableSorting: false }),
    helper.accessor('actionType', { id: 'action', header: 'Action' }),
    helper.accessor('direction', { id: 'direction', header: 'Direction' }),
    helper.accessor('portMatch', {
      id: 'portMatch',
      header: 'Port match',
      enableSorting: false,
      cell: (info) => (info.getValue() ? 'yes' : 'no'),
    }),
    exitColumn<HitRow>(),
    confidenceColumn<HitRow>((hit) => hit.confidence),
    helper.accessor('precision', {
      id: 'precision',
      header: 'Precision',
      enableSorting: false,
      cell: ({ row }) =>
        row.original.precision === 'hour' ? `from summary, hour precision (${row.original.summaryEvents})` : 'event',
    }),
    helper.accessor('status', {
      id: 'status',
      header: 'Status',
      cell: (info) => <StatusBadge status={info.getValue()} />,
    }),
    helper.accessor('localIp', {
      id: 'localIp',
      header: 'Local IP',
      enableSorting: false,
      cell: (info) => <span className={mono}>{info.getValue() ?? '—'}</span>,
    }),
    helper.accessor('localPublicIp', {
      id: 'localPublicIp',
      header: 'Public IP then',
      enableSorting: false,
      cell: (info) => <span className={mono}>{info.getValue() ?? '—'}</span>,
    }),
    helper.accessor('processFolderPath', {
      id: 'folder',
      header: 'Process folder',
      enableSorting: false,
      cell: (info) => <span className="break-all text-xs">{info.getValue() ?? '—'}</span>,
    }),
  ]);
}

/** Shown unless the user chose otherwise (the chooser remembers the choice in localStorage). */
export const DEFAULT_HIDDEN_COLUMNS: Record<string, boolean> = {
  localIp: false,
  localPublicIp: false,
  folder: false,
  isExit: false,
  precision: false,
};
