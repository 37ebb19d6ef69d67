import { parseInstant } from '@/lib/time/instant';
import { UsageError } from './errors';

/** The value of a time flag (`--from`, `--to`, `--at`): ISO 8601, and without a zone UTC (docs/architecture.md §3). */
export function instantOption(flag: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = parseInstant(text);
  if (!date) throw new UsageError(`${flag} must be an ISO 8601 time such as 2026-03-10T12:00:00Z, got "${text}"`);
  return date;
}
