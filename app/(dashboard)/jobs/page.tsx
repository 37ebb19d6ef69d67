import { PageHeader } from '@/components/layout/PageHeader';
import { MatchRunsTable } from '@/components/jobs/MatchRunsTable';
import { QueuesTable } from '@/components/jobs/QueuesTable';
import { requirePageRole } from '@/lib/auth/guard';
import { getJobsOverview } from '@/lib/queries/getJobsOverview';
import { runMatchNow } from './actions';

export const metadata = { title: 'Jobs' };

export default async function JobsPage() {
  const actor = await requirePageRole('viewer');
  const jobs = await getJobsOverview(actor);
  return (
    <>
      <PageHeader
        title="Jobs"
        description="The worker fetches relay lists and matches new events on a schedule; every match run is recorded here."
        actions={
          jobs.canRun ? (
            <form action={runMatchNow} className="flex gap-2">
              <button
                name="mode"
                value="incremental"
                className="rounded-md bg-violet-700 px-3 py-2 text-sm font-medium text-white hover:bg-violet-800"
              >
                Run match now
              </button>
              <button
                name="mode"
                value="full"
                className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                Re-match all events
              </button>
            </form>
          ) : undefined
        }
      />
      {jobs.pendingBatches > 0 ? (
        <p className="mb-4 rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-900/30 dark:text-amber-100">
          {jobs.pendingBatches} ingested batch{jobs.pendingBatches === 1 ? '' : 'es'} waiting for the next match run.
        </p>
      ) : null}
      <section className="mb-8">
        <h2 className="mb-2 text-lg font-medium">Queues and schedules</h2>
        <QueuesTable queues={jobs.queues} />
      </section>
      <section>
        <h2 className="mb-2 text-lg font-medium">Match runs</h2>
        <MatchRunsTable runs={jobs.runs} />
      </section>
    </>
  );
}
