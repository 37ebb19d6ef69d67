import { env } from '@/lib/env';

/** Hours between consecutive hits of one device and process above which a new episode starts (README "Episodes"). */
export function episodeGapHours(): number {
  return env('TORWATCH_EPISODE_GAP_HOURS');
}

/** The grouping key of a hit's process, as SQL over a hit alias: case-insensitive, '' for "(no process)". */
export const processKeySql = (alias: string) => `lower(COALESCE(${alias}.process_file_name, ''))`;
