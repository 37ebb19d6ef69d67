import type { PoolClient } from 'pg';

type Query = Pick<PoolClient, 'query'>;

/**
 * Runs `work` with the hit update trigger's episode refresh off (transaction-local setting, migration
 * 20261201001500_episode_refresh_set_based): for statements of the episode code that move hits between episodes and
 * then write the figures themselves — combined on a merge, or one set-based episode_refresh at the end of the step —
 * rather than have the trigger recompute every touched episode from all its hits (docs/architecture.md §7.7).
 * No finally: after an error the transaction is aborted and the setting ends with it.
 */
export async function withRefreshDeferred<T>(client: Query, work: () => Promise<T>): Promise<T> {
  await client.query(`SELECT set_config('torwatch.episode_refresh', 'deferred', true)`);
  const result = await work();
  await client.query(`SELECT set_config('torwatch.episode_refresh', 'immediate', true)`);
  return result;
}
