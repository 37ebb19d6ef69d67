import { env } from '@/lib/env';

/** Hours each relay-address interval is widened by on each side (docs/architecture.md §7.1; ExoneraTor: ±1 day). */
export function graceHours(): number {
  return env('TORWATCH_MATCH_GRACE_HOURS');
}
