/** Hours between consecutive hits of one device and process above which a new episode starts (README "Episodes"). */
export function episodeGapHours(): number {
  const raw = process.env.TORWATCH_EPISODE_GAP_HOURS;
  if (raw === undefined || raw === '') return 24;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 365) {
    throw new Error(`TORWATCH_EPISODE_GAP_HOURS must be a number of hours above 0 and at most 8760, got "${raw}"`);
  }
  return hours;
}

/** The grouping key of a hit's process, as SQL over a hit alias: case-insensitive, '' for "(no process)". */
export const processKeySql = (alias: string) => `lower(COALESCE(${alias}.process_file_name, ''))`;
