// Relay feeds write times three ways: TorRelayIPs.csv in the generating machine's culture (en-US
// `3/30/2022 12:00:00 PM`, or invariant `03/30/2022 12:00:00`), ISO 8601, and Onionoo's `YYYY-MM-DD hh:mm:ss`.
// A time without a zone is UTC (docs/architecture.md §3).

const US_DATE =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:\s*([AaPp])\.?[Mm]\.?)?$/;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The instant a relay feed's date text denotes, or null when it is empty or not a real date (month 13, Feb 30). */
export function parseRelayDate(text: string): Date | null {
  const value = text.trim();
  if (value === '') return null;
  let m = US_DATE.exec(value);
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
  m = ISO_DATE.exec(value);
  if (m) {
    const offset = zoneOffsetMinutes(m[8]);
    if (offset === null) return null;
    return utcDate(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      m[7],
      offset,
    );
  }
  return null;
}

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 23 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  offsetMinutes: number,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // Day 0 of the next month is the last day of this one: rejects Feb 30 and Apr 31, allows Feb 29 in leap years.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  // Date holds milliseconds; extra digits (Windows writes seven) are truncated.
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}
