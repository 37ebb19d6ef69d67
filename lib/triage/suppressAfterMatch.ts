import { RUN_HITS, type AfterMatchStep } from '@/lib/match/afterMatch';
import { suppressHitsSql } from './suppressionSql';

// Forward suppression: the hits a match run has just created are suppressed before anyone (or any webhook) sees them.
// Runs inside the run's transaction, before the alert step.
const FORWARD_SQL = suppressHitsSql(`${RUN_HITS} AND h.status = 'new'`);

export const suppressAfterMatch: AfterMatchStep = async (client, runId) => {
  await client.query(FORWARD_SQL, [runId]);
};
