/** Hours each relay-address interval is widened by on each side (docs/architecture.md §7.1; ExoneraTor: ±1 day). */
export function graceHours(): number {
  const raw = process.env.TORWATCH_MATCH_GRACE_HOURS;
  if (raw === undefined || raw === '') return 24;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 30) {
    throw new Error(`TORWATCH_MATCH_GRACE_HOURS must be a number of hours between 0 and 720, got "${raw}"`);
  }
  return hours;
}
