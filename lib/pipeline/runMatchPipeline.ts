import { alertAfterMatch } from '@/lib/alerts/alertAfterMatch';
import { episodesAfterMatch } from '@/lib/episodes/episodesAfterMatch';
import { episodePlacement } from '@/lib/episodes/placeNewHits';
import type { NamedAfterMatchStep } from '@/lib/match/afterMatch';
import { runMatch, type MatchMode, type MatchResult } from '@/lib/match/runMatch';
import { suppressAfterMatch } from '@/lib/triage/suppressAfterMatch';

// The product's match run: the matching engine (lib/match) followed, in the same transaction, by the steps of the
// stages above it. Suppression comes first: a suppressed hit never alerts. Episodes before alerts: webhooks alert per
// new episode.
export const AFTER_MATCH_STEPS: readonly NamedAfterMatchStep[] = [
  { name: 'suppression', run: suppressAfterMatch },
  { name: 'episodes', run: episodesAfterMatch },
  { name: 'alerts', run: alertAfterMatch },
];

/** New hits are written into their episodes by the match itself (lib/episodes/placeNewHits.ts). */
export const HIT_PLACEMENT = episodePlacement;

/** A match run with episodes, suppression and alerting: what the CLI, the worker and the demo loader run. */
export function runMatchPipeline(options: { mode: MatchMode; trigger?: string }): Promise<MatchResult> {
  return runMatch({ ...options, afterMatch: AFTER_MATCH_STEPS, placement: HIT_PLACEMENT });
}
