import type { PoolClient } from 'pg';

// Steps that run inside a match run's transaction after the hits are written (suppression rules, alert batching).
// Each receives the run id; hits created by this run carry match_run_id = runId.
export type AfterMatchStep = (client: PoolClient, runId: number) => Promise<void>;

const STEPS: Array<() => Promise<AfterMatchStep>> = [
  async () => (await import('@/lib/triage/suppressAfterMatch')).suppressAfterMatch, // first: a suppressed hit never alerts
  async () => (await import('@/lib/alerts/alertAfterMatch')).alertAfterMatch,
];

export async function afterMatchSteps(client: PoolClient, runId: number): Promise<void> {
  for (const load of STEPS) await (await load())(client, runId);
}
