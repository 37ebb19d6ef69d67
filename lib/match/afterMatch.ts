import type { PoolClient } from 'pg';

// Steps that run inside a match run's transaction after the hits are written (suppression rules, alert batching).
// runMatch takes them from its caller (lib/pipeline/runMatchPipeline.ts lists them), so lib/match depends on nothing
// above it. Each receives the run id; hits created by this run carry match_run_id = runId. RUN_HITS reaches them
// through the run's temp table of matched events and the unique index on hit.event_id — a plain `match_run_id = $1`
// would read the whole hit table on every run (there is no index on it, and none is needed).
// Hits from hourly summaries (§16.3) come in through run_summary_match and the unique hit.summary_id likewise.
export const RUN_HITS = `(h.event_id IN (SELECT event_id FROM run_match)
  OR h.summary_id IN (SELECT summary_id FROM run_summary_match)) AND h.match_run_id = $1`;

export type AfterMatchStep = (client: PoolClient, runId: number) => Promise<void>;

/**
 * Places the run's new hits as the engine writes them (docs/architecture.md §7.7): `place` runs before the hit upsert
 * and fills the temp table `run_episode (event_id, episode_id)`, whose episode ids the upsert writes into the new hits;
 * `settle` runs right after the upsert, before anything else updates a hit. Without one, new hits start with no
 * episode (the engine alone, tests, benchmarks).
 */
export interface HitPlacement {
  place: AfterMatchStep;
  settle: AfterMatchStep;
}

/** A named step; the name keys its duration in the run's recorded timings. */
export interface NamedAfterMatchStep {
  name: string;
  run: AfterMatchStep;
}

/** Runs the steps in order; returns each one's duration (ms) for the run's recorded timings. */
export async function afterMatchSteps(
  client: PoolClient,
  runId: number,
  steps: readonly NamedAfterMatchStep[],
): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  for (const step of steps) {
    const start = performance.now();
    await step.run(client, runId);
    timings[step.name] = Math.round(performance.now() - start);
  }
  return timings;
}
