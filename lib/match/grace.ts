/** Hours each relay-address interval is widened by on both sides (DESIGN.md §4; ExoneraTor uses ±1 day). */
import { env } from '@/lib/env';
export function graceHours(): number {
  return env('TORWATCH_MATCH_GRACE_HOURS');
}
