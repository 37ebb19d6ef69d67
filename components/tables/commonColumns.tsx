'use client';

import Link from 'next/link';
import { createColumnHelper, type ColumnDef, type RowData } from '@tanstack/react-table';
import { ConfidenceBadge } from '@/components/hits/badges';
import type { ServerTableFeatures } from './ServerTable';

// Columns the Hits and Episodes tables share: the row checkbox, the device link, the process, exit and confidence.
// Column ids equal the server's sort keys where a column sorts (lib/hits/sort.ts, lib/episodes/episodeSort.ts).

/* eslint-disable @typescript-eslint/no-explicit-any -- a column's value type is its own; the table takes any */
type Column<Row extends RowData> = ColumnDef<ServerTableFeatures, Row, any>;

/** The checkbox column: one box per row, and one in the header for every row of the page. */
export function selectColumn<Row extends { id: string }>(noun: string, plural: string): Column<Row> {
  return createColumnHelper<ServerTableFeatures, Row>().display({
    id: 'select',
    enableSorting: false,
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label={`Select all ${plural} on this page`}
        checked={table.getIsAllRowsSelected()}
        ref={(el) => {
          if (el) el.indeterminate = table.getIsSomeRowsSelected() && !table.getIsAllRowsSelected();
        }}
        onChange={table.getToggleAllRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={`Select ${noun} ${row.original.id}`}
        checked={row.getIsSelected()}
        onChange={() => row.toggleSelected()}
      />
    ),
  });
}

/** The device's name (its id when unnamed), linking to the device page. */
export function deviceColumn<Row extends { deviceId: string; deviceName: string | null }>(): Column<Row> {
  return createColumnHelper<ServerTableFeatures, Row>().accessor((row) => row.deviceName ?? row.deviceId, {
    id: 'device',
    header: 'Device',
    cell: ({ row }) => (
      <Link href={`/devices/${encodeURIComponent(row.original.deviceId)}`} className="hover:underline">
        {row.original.deviceName ?? row.original.deviceId}
      </Link>
    ),
  });
}

/** The initiating process; `none` stands in for a hit without one. */
export function processColumn<Row extends { processFileName: string | null }>(none: React.ReactNode): Column<Row> {
  return createColumnHelper<ServerTableFeatures, Row>().accessor((row) => row.processFileName, {
    id: 'process',
    header: 'Process',
    cell: (info) => info.getValue() ?? none,
  });
}

export function exitColumn<Row extends { isExit: boolean }>(): Column<Row> {
  return createColumnHelper<ServerTableFeatures, Row>().accessor((row) => row.isExit, {
    id: 'isExit',
    header: 'Exit',
    enableSorting: false,
    cell: (info) => (info.getValue() ? 'yes' : 'no'),
  });
}

/** A confidence badge; for an episode its highest confidence. */
export function confidenceColumn<Row extends RowData>(confidenceOf: (row: Row) => string): Column<Row> {
  return createColumnHelper<ServerTableFeatures, Row>().accessor(confidenceOf, {
    id: 'confidence',
    header: 'Confidence',
    cell: (info) => <ConfidenceBadge confidence={info.getValue()} />,
  });
}
