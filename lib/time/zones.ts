// IANA time zones for bucketing and labelling charts. Buckets are cut by PostgreSQL (`date_trunc(unit, ts, zone)`,
// DST-aware); this module validates the name and formats bucket labels in the same zone, so a chart's axis says what
// its buckets are.

/** True when `name` is a time zone both Intl and PostgreSQL know (the IANA database; 'UTC' included). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone a value names, or UTC; throws with the field name when it is not a zone. */
export function parseTimeZone(value: string | undefined, field = 'zone'): string {
  if (value === undefined || value === '') return 'UTC';
  if (!isTimeZone(value)) throw new RangeError(`${field}: not an IANA time zone (e.g. Europe/Berlin, UTC)`);
  return value;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Wall-clock parts of an instant in a zone. */
export function zonedParts(
  date: Date,
  zone: string,
): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** "2026-11-20" (day/week), "2026-11" (month) or "11-20 14:00" (hour), in the zone. */
export function formatZonedBucket(date: Date, bucket: 'hour' | 'day' | 'week' | 'month', zone: string): string {
  const p = zonedParts(date, zone);
  if (bucket === 'month') return `${p.year}-${pad(p.month)}`;
  if (bucket === 'hour') return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A short axis label in the zone: "25 May" (day/week), "May 26" (month). */
export function shortZonedBucket(date: Date, bucket: 'day' | 'week' | 'month', zone: string): string {
  const p = zonedParts(date, zone);
  if (bucket === 'month') return `${MONTHS[p.month - 1]} ${String(p.year).slice(2)}`;
  return `${p.day} ${MONTHS[p.month - 1]}`;
}

/** "2026-11-20 14:03" in the zone. */
export function formatZoned(date: Date, zone: string): string {
  const p = zonedParts(date, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The browser's zone, for a "use my time zone" link (client only; UTC on the server). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
