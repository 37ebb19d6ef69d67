import Link from 'next/link';
import type { TriageSummary } from '@/lib/queries/getTriageSummary';
import { StatusBadge } from '@/components/hits/badges';
import { TRIAGE_STATUSES } from './statusLabels';

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** Overview card: open hits by status (each links to the hits of that status in the range) and mean time to triage. */
export function TriageSummaryCard({ summary, hitsQuery }: { summary: TriageSummary; hitsQuery: string }) {
  const link = (status: string) => `/hits?${[hitsQuery, `status=${status}`].filter(Boolean).join('&')}`;
  return (
    <section
      aria-label="Triage"
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr] dark:border-slate-800 dark:bg-slate-900"
    >
      <div>
        <h3 className="mb-2 font-medium">
          Hits by status{' '}
          <span className="text-sm font-normal text-slate-500">· {summary.open.toLocaleString('en')} open</span>
        </h3>
        <ul className="flex flex-wrap gap-x-5 gap-y-2">
          {TRIAGE_STATUSES.map((status) => (
            <li key={status}>
              <Link
                href={link(status)}
                className="flex items-center gap-2 hover:underline"
                data-testid={`triage-count-${status}`}
              >
                <span className="text-xl font-semibold tabular-nums">
                  {summary.byStatus[status].toLocaleString('en')}
                </span>
                <StatusBadge status={status} />
              </Link>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="mb-2 font-medium">Mean time to triage</h3>
        <p className="text-xl font-semibold tabular-nums" data-testid="mean-time-to-triage">
          {summary.meanTimeToTriageSeconds === null ? '—' : formatDuration(summary.meanTimeToTriageSeconds)}
        </p>
        <p className="text-xs text-slate-500">
          first match → first decision, over {summary.triaged.toLocaleString('en')}{' '}
          {summary.triaged === 1 ? 'hit' : 'hits'} triaged in this period
        </p>
      </div>
    </section>
  );
}
