import { env } from '@/lib/env';

/** Hours each relay-address interval is widened by on each side (docs/architecture.md §7.1; ExoneraTor: ±1 day). */
export function graceHours(): number {
  return env('TORWATCH_MATCH_GRACE_HOURS');
}

/**
 * Hours consensus-history intervals (relay_address.evidence = 'consensus', hour-exact) are widened by on both sides:
 * default 1, `TORWATCH_CONSENSUS_GRACE_HOURS`. Snapshot lists keep TORWATCH_MATCH_GRACE_HOURS.
 */
export function consensusGraceHours(): number {
  return env('TORWATCH_CONSENSUS_GRACE_HOURS');
}

/** SQL for the grace of relay_address row `a`: $1 = the snapshot-list grace, $2 = the consensus grace (intervals). */
export const GRACE_SQL = `(CASE WHEN a.evidence = 'consensus' THEN $2::interval ELSE $1::interval END)`;

/** The wider of the two graces: bounds a probe that serves intervals of either evidence (then GRACE_SQL per row). */
export const WIDEST_GRACE_SQL = `GREATEST($1::interval, $2::interval)`;
