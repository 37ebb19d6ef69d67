/** Hours each relay-address interval is widened by on both sides (DESIGN.md §4; ExoneraTor uses ±1 day). */
export function graceHours(): number {
  const raw = process.env.TORWATCH_MATCH_GRACE_HOURS;
  if (raw === undefined || raw === '') return 24;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 30) {
    throw new Error(`TORWATCH_MATCH_GRACE_HOURS must be a number of hours between 0 and 720, got "${raw}"`);
  }
  return hours;
}

/**
 * Hours consensus-history intervals (relay_address.evidence = 'consensus', hour-exact) are widened by on both sides:
 * default 1, `TORWATCH_CONSENSUS_GRACE_HOURS`. Snapshot lists keep TORWATCH_MATCH_GRACE_HOURS.
 */
export function consensusGraceHours(): number {
  const raw = process.env.TORWATCH_CONSENSUS_GRACE_HOURS;
  if (raw === undefined || raw === '') return 1;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 30) {
    throw new Error(`TORWATCH_CONSENSUS_GRACE_HOURS must be a number of hours between 0 and 720, got "${raw}"`);
  }
  return hours;
}

/** SQL for the grace of relay_address row `a`: $1 = the snapshot-list grace, $2 = the consensus grace (intervals). */
export const GRACE_SQL = `(CASE WHEN a.evidence = 'consensus' THEN $2::interval ELSE $1::interval END)`;
