import { PageHeader } from '@/components/layout/PageHeader';
import { formatBytes } from '@/components/ingest/formatBytes';
import { requirePageRole } from '@/lib/auth/guard';
import { getRetentionOverview } from '@/lib/queries/getRetentionOverview';
import { formatUtc } from '@/lib/time/formatUtc';
import { ApplyRetentionForm } from './ApplyRetentionForm';

export const metadata = { title: 'Retention' };
export const dynamic = 'force-dynamic';

const CELL = 'py-2 pr-4';
const ACTION_STYLE = {
  keep: 'text-slate-600 dark:text-slate-400',
  hold: 'text-amber-700 dark:text-amber-400',
  drop: 'font-medium text-red-700 dark:text-red-400',
} as const;

export default async function RetentionPage() {
  const actor = await requirePageRole('admin');
  const overview = await getRetentionOverview(actor);
  const due = overview.partitions.filter((p) => p.verdict.action === 'drop').length;
  const last = overview.lastRun;
  return (
    <>
      <PageHeader
        title="Retention"
        description="Raw events are kept by month partitions, hourly connection summaries for longer; hits, triage, audit and relay history are never purged."
      />
      <section aria-labelledby="retention-policy" className="mb-6 text-sm">
        <h2 id="retention-policy" className="mb-2 font-semibold">
          Policy
        </h2>
        <ul className="list-disc pl-5 text-slate-700 dark:text-slate-300">
          <li>
            Raw events: {overview.eventRetentionDays} days (<code>TORWATCH_EVENT_RETENTION_DAYS</code>) — a month goes
            when it ends before {formatUtc(overview.eventHorizon)}, all its events have been matched and none came in
            during the last 7 days.
          </li>
          <li>
            Hourly summaries: {overview.summaryRetentionDays} days (<code>TORWATCH_SUMMARY_RETENTION_DAYS</code>) — what
            matching consults for months whose raw events went (hits marked “from summary, hour precision”).
          </li>
        </ul>
      </section>
      <section aria-labelledby="retention-plan" className="mb-6">
        <h2 id="retention-plan" className="mb-2 font-semibold">
          What a run now would do
        </h2>
        <table className="w-full border-collapse text-left text-sm" aria-label="Retention plan">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
            <tr>
              <th className={CELL}>Table</th>
              <th className={CELL}>Month</th>
              <th className={CELL}>Rows</th>
              <th className={CELL}>Size</th>
              <th className={CELL}>Action</th>
              <th className="py-2">Why</th>
            </tr>
          </thead>
          <tbody>
            {overview.partitions.length === 0 ? (
              <tr>
                <td colSpan={6} className="py-6 text-center text-slate-500">
                  No month partitions yet.
                </td>
              </tr>
            ) : null}
            {overview.partitions.map((p) => (
              <tr key={`${p.table}|${p.month}`} className="border-b border-slate-100 dark:border-slate-800">
                <td className={`${CELL} font-mono text-xs`}>{p.table}</td>
                <td className={CELL}>{p.month}</td>
                <td className={CELL}>
                  {p.approximate ? '≈' : ''}
                  {p.rows.toLocaleString('en-US')}
                </td>
                <td className={CELL}>{formatBytes(p.bytes)}</td>
                <td className={`${CELL} ${ACTION_STYLE[p.verdict.action]}`}>{p.verdict.action}</td>
                <td className="py-2 text-slate-600 dark:text-slate-400">{p.verdict.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-3">
          <ApplyRetentionForm due={due} />
        </div>
      </section>
      <section aria-labelledby="retention-last" className="mb-6 text-sm">
        <h2 id="retention-last" className="mb-2 font-semibold">
          Last run
        </h2>
        {last ? (
          <p data-testid="retention-last-run">
            {formatUtc(last.at)} by {last.actor} ({last.trigger}):{' '}
            {last.dropped.length
              ? `dropped ${last.dropped.map((d) => `${d.table} ${d.month}`).join(', ')}`
              : 'nothing was due'}
          </p>
        ) : (
          <p data-testid="retention-last-run" className="text-slate-500">
            Retention has not run yet (the worker runs it daily at 03:40 UTC; or <code>torwatch retention apply</code>).
          </p>
        )}
      </section>
      <section aria-labelledby="retention-dropped" className="text-sm">
        <h2 id="retention-dropped" className="mb-2 font-semibold">
          Months of raw events dropped
        </h2>
        {overview.droppedMonths.length ? (
          <ul className="list-disc pl-5">
            {overview.droppedMonths.map((m) => (
              <li key={m.month}>
                {m.month}: {m.events.toLocaleString('en-US')} events, dropped {formatUtc(m.droppedAt)} by {m.actor}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-500">None: every stored month still has its raw events.</p>
        )}
      </section>
    </>
  );
}
