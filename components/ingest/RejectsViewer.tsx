import Link from 'next/link';
import type { IngestRejectsView } from '@/lib/queries/listIngestRejects';

/** The stored rejects of one batch (first 1,000 by line; the true count above them). */
export function RejectsViewer({ view }: { view: IngestRejectsView }) {
  return (
    <section
      aria-labelledby="rejects-heading"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mb-2 flex items-baseline justify-between gap-3">
        <h2 id="rejects-heading" className="text-lg font-medium">
          Rejected rows of batch #{view.batchId} ({view.fileName})
        </h2>
        <Link href="/ingest" className="text-sm text-violet-700 underline dark:text-violet-300">
          close
        </Link>
      </div>
      <p className="mb-2 text-xs text-slate-500">
        {view.rejected.toLocaleString('en-US')} rejected
        {view.rejected > view.rejects.length
          ? `; the first ${view.rejects.length.toLocaleString('en-US')} are kept`
          : ''}
        .
      </p>
      {view.rejects.length === 0 ? (
        <p className="text-sm">No rejected rows.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Rejected rows">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-3">Line</th>
              <th className="py-1 pr-3">Field</th>
              <th className="py-1">Reason</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs">
            {view.rejects.map((r, i) => (
              <tr key={i} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 pr-3 tabular-nums">{r.line}</td>
                <td className="py-1 pr-3">{r.field}</td>
                <td className="break-all py-1">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
