import type { MatchRunRow } from '@/lib/queries/getJobsOverview';
import { formatUtc } from '@/lib/time/formatUtc';

const STATUS_STYLE: Record<string, string> = {
  ok: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100',
  running: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-100',
  failed: 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-100',
};

export function MatchRunsTable({ runs }: { runs: MatchRunRow[] }) {
  if (!runs.length) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
        No match runs yet. The worker runs one every 5 minutes and after each upload or relay refresh.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
          <tr>
            <th className="px-3 py-2">Started</th>
            <th className="px-3 py-2">Mode</th>
            <th className="px-3 py-2">Trigger</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2 text-right">Events scanned</th>
            <th className="px-3 py-2 text-right">New hits</th>
            <th className="px-3 py-2 text-right">Updated</th>
            <th className="px-3 py-2 text-right">Withdrawn</th>
            <th className="px-3 py-2 text-right">Duration</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="px-3 py-2 text-xs">{formatUtc(run.startedAt)}</td>
              <td className="px-3 py-2">{run.mode}</td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-400">{run.trigger ?? '—'}</td>
              <td className="px-3 py-2">
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[run.status] ?? ''}`}>
                  {run.status}
                </span>
                {run.error ? (
                  <div className="mt-1 max-w-xs truncate text-xs text-red-700 dark:text-red-400" title={run.error}>
                    {run.error}
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{run.eventsScanned.toLocaleString('en')}</td>
              <td className="px-3 py-2 text-right tabular-nums font-medium">{run.hitsNew.toLocaleString('en')}</td>
              <td className="px-3 py-2 text-right tabular-nums">{run.hitsUpdated.toLocaleString('en')}</td>
              <td className="px-3 py-2 text-right tabular-nums">{run.hitsRetired.toLocaleString('en')}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {run.durationMs === null ? '—' : `${(run.durationMs / 1000).toFixed(2)} s`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
