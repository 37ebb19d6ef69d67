import type { AfterMatchStep } from '@/lib/match/afterMatch';
import { maintainEpisodes } from './maintainEpisodes';

// The match run's episode step: after suppression (a suppressed hit still joins its episode), before alerts (which
// alert per new episode). Episodes created by the run carry its id. The run's new hits are already in their episodes
// (placeNewHits.ts); here a new hit that joined an episode carrying a triage decision, and is still `new` (not
// suppressed), takes the decision; then maintainEpisodes handles withdrawn, restored and deleted hits (and new hits
// of a run without placement).
export const episodesAfterMatch: AfterMatchStep = async (client, runId) => {
  const placed = await client.query(`SELECT to_regclass('pg_temp.run_episode') IS NOT NULL AS exists`);
  if (placed.rows[0].exists)
    await client.query(`
      UPDATE hit h SET status = e.decided_status, assignee_id = COALESCE(e.decided_assignee_id, h.assignee_id),
             triaged_at = now(), updated_at = now()
      FROM run_episode r JOIN episode e ON e.id = r.episode_id
      WHERE h.event_id = r.event_id AND h.episode_id = e.id AND e.decided_status IS NOT NULL AND h.status = 'new'`);
  await maintainEpisodes(client, { runId });
};
