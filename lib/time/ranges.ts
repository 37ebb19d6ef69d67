import { formatUtc } from './formatUtc';

// Time ranges for the dashboard: presets relative to "now", custom ranges, the previous period of equal length,
// and the trend bucket that suits a range. Ranges are half-open: [from, to).
export const RANGE_PRESETS = ['24h', '7d', '30d', '90d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type RangeKind = RangePreset | 'custom';
export const BUCKETS = ['hour', 'day', 'week'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type TimeZoneMode = 'utc' | 'local';

export interface TimeRange {
  kind: RangeKind;
  from: Date;
  to: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRESET_MS: Record<RangePreset, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };
export const DEFAULT_PRESET: RangePreset = '30d';
/** Longest custom range accepted (keeps trend charts and counts bounded). */
export const MAX_RANGE_MS = 3 * 366 * DAY;

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && (RANGE_PRESETS as readonly string[]).includes(value);
}

/** A preset ending now. */
export function presetRange(preset: RangePreset, now: Date = new Date()): TimeRange {
  return { kind: preset, from: new Date(now.getTime() - PRESET_MS[preset]), to: new Date(now.getTime()) };
}

/** A custom range; throws with the offending field when it is not a range. */
export function customRange(from: Date, to: Date): TimeRange {
  if (Number.isNaN(from.getTime())) throw new RangeError('from: not a date');
  if (Number.isNaN(to.getTime())) throw new RangeError('to: not a date');
  if (to.getTime() <= from.getTime()) throw new RangeError('to: must be after from');
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw new RangeError('to: a range may span at most 3 years');
  return { kind: 'custom', from, to };
}

/** The period of equal length just before `range` (for "change against the previous period"). */
export function previousPeriod(range: TimeRange): TimeRange {
  const length = range.to.getTime() - range.from.getTime();
  return { kind: 'custom', from: new Date(range.from.getTime() - length), to: new Date(range.from.getTime()) };
}

/** Hourly up to two days, daily up to ~two months, weekly beyond — 24 to ~90 points for the presets. */
export function bucketFor(range: TimeRange): Bucket {
  const length = range.to.getTime() - range.from.getTime();
  if (length <= 2 * DAY) return 'hour';
  if (length <= 62 * DAY) return 'day';
  return 'week';
}

/** The start of the UTC bucket containing `date` (weeks start on Monday, as Postgres' date_trunc does). */
export function bucketStart(date: Date, bucket: Bucket): Date {
  const d = new Date(date.getTime());
  d.setUTCMinutes(0, 0, 0);
  if (bucket === 'hour') return d;
  d.setUTCHours(0);
  if (bucket === 'day') return d;
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - sinceMonday * DAY);
}

export function nextBucket(date: Date, bucket: Bucket): Date {
  if (bucket === 'hour') return new Date(date.getTime() + HOUR);
  return new Date(date.getTime() + (bucket === 'day' ? DAY : 7 * DAY));
}

/** Every bucket start touching [from, to), so a trend chart shows zero for empty buckets instead of skipping them. */
export function bucketStarts(range: TimeRange, bucket: Bucket): Date[] {
  const starts: Date[] = [];
  for (let t = bucketStart(range.from, bucket); t.getTime() < range.to.getTime(); t = nextBucket(t, bucket))
    starts.push(t);
  return starts;
}

/** ISO 8601 UTC with microseconds (docs/architecture.md §3); JS dates carry milliseconds. */
export function isoUtc(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A timestamp for people: "2026-11-20 14:03:07 UTC" or the browser's local time with its offset. */
export function formatTimestamp(date: Date, mode: TimeZoneMode, withSeconds = true): string {
  if (mode === 'utc') return formatUtc(date, { seconds: withSeconds });
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = `UTC${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}${withSeconds ? `:${pad(date.getSeconds())}` : ''}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time} ${zone}`;
}

/** A bucket label for chart axes: "11-20 14:00" for hours, "2026-11-20" for days and weeks (UTC or local). */
export function formatBucket(date: Date, bucket: Bucket, mode: TimeZoneMode): string {
  const full = formatTimestamp(date, mode, false);
  return bucket === 'hour' ? full.slice(5, 16) : full.slice(0, 10);
}

export function describeRange(range: TimeRange): string {
  if (range.kind !== 'custom')
    return { '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days', '90d': 'last 90 days' }[range.kind];
  return `${formatTimestamp(range.from, 'utc', false)} – ${formatTimestamp(range.to, 'utc', false)}`;
}
