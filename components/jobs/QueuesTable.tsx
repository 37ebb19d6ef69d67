import type { QueueRow } from '@/lib/queries/getJobsOverview';
import { formatUtc } from '@/lib/time/formatUtc';

export function QueuesTable({ queues }: { queues: QueueRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
          <tr>
            <th className="px-3 py-2">Queue</th>
            <th className="px-3 py-2">Schedule (UTC)</th>
            <th className="px-3 py-2 text-right">Queued</th>
            <th className="px-3 py-2 text-right">Running</th>
            <th className="px-3 py-2 text-right">Failed</th>
            <th className="px-3 py-2 text-right">Done</th>
            <th className="px-3 py-2">Last completed</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.name} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="px-3 py-2">
                <div className="font-medium">{q.name}</div>
                <div className="text-xs text-slate-500">{q.description}</div>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{q.cron ?? 'on demand'}</td>
              <td className="px-3 py-2 text-right tabular-nums">{q.queued}</td>
              <td className="px-3 py-2 text-right tabular-nums">{q.active}</td>
              <td className={`px-3 py-2 text-right tabular-nums ${q.failed ? 'text-red-700 dark:text-red-400' : ''}`}>
                {q.failed}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{q.completed}</td>
              <td className="px-3 py-2 text-xs">{q.lastCompletedAt ? formatUtc(q.lastCompletedAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
