import Link from 'next/link';
import type { IngestBatchRow } from '@/lib/queries/listIngestBatches';
import { formatUtc } from '@/lib/time/formatUtc';
import { DeleteBatchButton } from './DeleteBatchButton';
import { formatBytes } from './formatBytes';
import { TELEMETRY_SOURCES } from '@/lib/ingest/telemetrySources';

const SOURCE_LABEL: Record<string, string> = {
  ...Object.fromEntries(TELEMETRY_SOURCES.map((s) => [s.id, s.short])),
  auto: '—',
};

const STATUS_STYLE: Record<string, string> = {
  committed: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  running: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  refused: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

/** Ingest batches, newest first: counts, status, duration, a link to the rejects, and (admins) delete. */
export function BatchTable({
  batches,
  canDelete,
  selected,
}: {
  batches: IngestBatchRow[];
  canDelete: boolean;
  selected: number | null;
}) {
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm" aria-label="Ingest batches">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-950">
          <tr>
            {[
              'Batch',
              'File',
              'Started (UTC)',
              'Status',
              'Read',
              'Inserted',
              'Duplicate',
              'Rejected',
              'Size',
              'Duration',
              '',
            ].map((h) => (
              <th
                key={h}
                scope="col"
                className={`px-2 py-2 font-medium ${['Read', 'Inserted', 'Duplicate', 'Rejected', 'Size', 'Duration'].includes(h) ? 'text-right' : ''}`}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {batches.map((b) => (
            <tr
              key={b.id}
              className={`border-t border-slate-100 dark:border-slate-800 ${selected === b.id ? 'bg-violet-50 dark:bg-violet-950/40' : ''}`}
            >
              <td className="px-2 py-2 tabular-nums">#{b.id}</td>
              <td className="max-w-52 px-2 py-2">
                <div className="truncate" title={b.fileName}>
                  {b.fileName}
                </div>
                <div
                  className="truncate text-xs text-slate-500"
                  title={`${b.source} · via ${b.via}${b.actor ? ` by ${b.actor}` : ''}`}
                >
                  {SOURCE_LABEL[b.source] ?? b.source} · {b.via}
                </div>
              </td>
              <td className="whitespace-nowrap px-2 py-2 text-xs" title={formatUtc(b.startedAt)}>
                {b.startedAt.slice(0, 10)} {b.startedAt.slice(11, 16)}
              </td>
              <td className="px-2 py-2">
                <span
                  className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[b.status] ?? ''}`}
                  title={b.error ?? undefined}
                >
                  {b.status}
                </span>
                {b.error ? (
                  <div className="mt-1 max-w-48 truncate text-xs text-red-700 dark:text-red-400" title={b.error}>
                    {b.error}
                  </div>
                ) : null}
              </td>
              <td className="px-2 py-2 text-right tabular-nums">{n(b.read)}</td>
              <td className="px-2 py-2 text-right tabular-nums">{n(b.inserted)}</td>
              <td className="px-2 py-2 text-right tabular-nums">{n(b.duplicate)}</td>
              <td className="px-2 py-2 text-right tabular-nums">
                {b.rejected > 0 ? (
                  <Link className="text-violet-700 underline dark:text-violet-300" href={`/ingest?batch=${b.id}`}>
                    {n(b.rejected)}
                  </Link>
                ) : (
                  '0'
                )}
              </td>
              <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">{formatBytes(b.bytes)}</td>
              <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">
                {b.durationMs === null ? '—' : `${(b.durationMs / 1000).toFixed(1)} s`}
              </td>
              <td className="px-2 py-2 text-right">
                {canDelete && b.status !== 'running' ? (
                  <DeleteBatchButton batchId={b.id} fileName={b.fileName} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
