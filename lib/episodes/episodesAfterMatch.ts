import type { AfterMatchStep } from '@/lib/match/afterMatch';
import { maintainEpisodes } from './maintainEpisodes';

// The match run's episode step: after suppression (a suppressed hit still joins its episode), before alerts (which
// alert per new episode). Episodes created by the run carry its id.
export const episodesAfterMatch: AfterMatchStep = async (client, runId) => {
  await maintainEpisodes(client, { runId });
};
