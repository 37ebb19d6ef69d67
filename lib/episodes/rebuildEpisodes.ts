import { takeMatchLock } from '@/lib/db/matchLock';
import { getPool } from '@/lib/db/pool';
import { episodeGapHours } from './episodeGap';
import { EPISODES_FROM_SCRATCH_SQL, EPISODES_MAINTAINED_SQL } from './episodesFromScratchSql';
import { maintainEpisodes, type EpisodeMaintenance } from './maintainEpisodes';

/**
 * `torwatch episodes --rebuild`: re-segments every (device, process) group (ids and triage decisions kept by the usual
 * rule), under the match run's lock, then checks the result against the from-scratch recomputation. Use it after
 * changing TORWATCH_EPISODE_GAP_HOURS. Returns the maintenance figures and how many episodes differ (0 expected).
 */
export async function rebuildEpisodes(): Promise<EpisodeMaintenance & { episodes: number; differences: number }> {
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    await takeMatchLock(client);
    const done = await maintainEpisodes(client, { rebuild: true });
    const key = (r: Record<string, unknown>) =>
      JSON.stringify([
        r.device_id,
        r.process_key,
        r.first_seen,
        r.last_seen,
        r.hit_count,
        r.open_hits,
        r.status,
        r.relay_fingerprints,
        r.country_codes,
        r.ports,
        r.max_confidence,
        r.is_exit,
        (r.hit_ids as unknown[]).map(String),
      ]);
    const maintained = new Set((await client.query(EPISODES_MAINTAINED_SQL)).rows.map(key));
    const scratch = (await client.query(EPISODES_FROM_SCRATCH_SQL, [`${episodeGapHours()} hours`])).rows.map(key);
    const differences =
      scratch.filter((k) => !maintained.has(k)).length + Math.max(0, maintained.size - scratch.length);
    await client.query('COMMIT');
    return { ...done, episodes: maintained.size, differences };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
