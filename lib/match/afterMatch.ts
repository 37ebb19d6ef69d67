import type { PoolClient } from 'pg';

// Steps that run inside a match run's transaction after the hits are written (suppression rules, alert batching).
// Each receives the run id; hits created by this run carry match_run_id = runId. RUN_HITS reaches them through the
// run's temp table of matched events and the unique index on hit.event_id — a plain `match_run_id = $1` would read
// the whole hit table on every run (there is no index on it, and none is needed).
export const RUN_HITS = `h.event_id IN (SELECT event_id FROM run_match) AND h.match_run_id = $1`;

export type AfterMatchStep = (client: PoolClient, runId: number) => Promise<void>;

const STEPS: Array<[name: string, load: () => Promise<AfterMatchStep>]> = [
  ['suppression', async () => (await import('@/lib/triage/suppressAfterMatch')).suppressAfterMatch], // first: a suppressed hit never alerts
  ['episodes', async () => (await import('@/lib/episodes/episodesAfterMatch')).episodesAfterMatch], // before alerts: per-episode webhooks
  ['alerts', async () => (await import('@/lib/alerts/alertAfterMatch')).alertAfterMatch],
];

/** Runs the steps in order; returns each one's duration (ms) for the run's recorded timings. */
export async function afterMatchSteps(client: PoolClient, runId: number): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  for (const [name, load] of STEPS) {
    const start = performance.now();
    await (
      await load()
    )(client, runId);
    timings[name] = Math.round(performance.now() - start);
  }
  return timings;
}
