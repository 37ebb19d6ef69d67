import { z } from 'zod';

// The one reader of ISO 8601 instants typed by people and scripts (CLI flags, URL and API parameters, form fields) and
// written by feeds: a date, optionally a time (`T` or a space), a fraction, and a zone. A time without a zone is UTC
// (docs/architecture.md §3) — never the server's local time. Impossible dates (Feb 30, 24:00) are refused.

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The instant `text` denotes, or null when it is not an ISO 8601 date/time or not a real one. */
export function parseInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return null;
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

/** A zod string that must be an ISO 8601 instant, parsed to a Date (for query strings, bodies and forms). */
export const isoInstant = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const date = parseInstant(text);
    if (date) return date;
    ctx.addIssue({
      code: 'custom',
      message: `not an ISO 8601 time (e.g. 2026-03-10T12:00:00Z): "${text.slice(0, 40)}"`,
    });
    return z.NEVER;
  });

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 23 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** The UTC instant of a calendar date and time at `offsetMinutes` east of UTC; null when the date does not exist. */
export function utcDate(
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
