import { parseInstant, utcDate } from '@/lib/time/instant';

// Relay feeds write times three ways: TorRelayIPs.csv in the generating machine's culture (en-US
// `3/30/2022 12:00:00 PM`, or invariant `03/30/2022 12:00:00`), ISO 8601, and Onionoo's `YYYY-MM-DD hh:mm:ss`.
// A time without a zone is UTC (docs/architecture.md §3).

const US_DATE =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:\s*([AaPp])\.?[Mm]\.?)?$/;

/** The instant a relay feed's date text denotes, or null when it is empty or not a real date (month 13, Feb 30). */
export function parseRelayDate(text: string): Date | null {
  const value = text.trim();
  if (value === '') return null;
  const m = US_DATE.exec(value);
  if (m) {
    let hour = Number(m[4]);
    const meridiem = m[8]?.toUpperCase();
    if (meridiem) {
      if (hour < 1 || hour > 12) return null;
      // 12:xx AM is just after midnight, 12:xx PM just after noon.
      hour = (hour % 12) + (meridiem === 'P' ? 12 : 0);
    }
    return utcDate(Number(m[3]), Number(m[1]), Number(m[2]), hour, Number(m[5]), Number(m[6] ?? 0), m[7], 0);
  }
  return /^\d{4}-/.test(value) ? parseInstant(value) : null;
}
