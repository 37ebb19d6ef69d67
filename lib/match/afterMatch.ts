import type { PoolClient } from 'pg';

// Steps that run inside a match run's transaction after the hits are written (suppression rules, alert batching).
// Each receives the run id; hits created by this run carry match_run_id = runId. RUN_HITS reaches them through the
// run's temp table of matched events and the unique index on hit.event_id — a plain `match_run_id = $1` would read
// the whole hit table on every run (there is no index on it, and none is needed).
export const RUN_HITS = `h.event_id IN (SELECT event_id FROM run_match) AND h.match_run_id = $1`;

export type AfterMatchStep = (client: PoolClient, runId: number) => Promise<void>;

const STEPS: Array<() => Promise<AfterMatchStep>> = [
  async () => (await import('@/lib/triage/suppressAfterMatch')).suppressAfterMatch, // first: a suppressed hit never alerts
  async () => (await import('@/lib/alerts/alertAfterMatch')).alertAfterMatch,
];

export async function afterMatchSteps(client: PoolClient, runId: number): Promise<void> {
  for (const load of STEPS) await (await load())(client, runId);
}
