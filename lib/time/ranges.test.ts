import { describe, expect, it } from 'vitest';
import {
  bucketFor,
  bucketStart,
  bucketStarts,
  customRange,
  formatBucket,
  formatTimestamp,
  isoUtc,
  presetRange,
  previousPeriod,
} from './ranges';

const now = new Date('2026-11-20T12:34:56.789Z');

describe('time ranges', () => {
  it('presets end now and span their length', () => {
    expect(presetRange('24h', now)).toEqual({ kind: '24h', from: new Date('2026-11-19T12:34:56.789Z'), to: now });
    expect(presetRange('7d', now).from.toISOString()).toBe('2026-11-13T12:34:56.789Z');
    expect(presetRange('90d', now).from.toISOString()).toBe('2026-08-22T12:34:56.789Z');
  });

  it('the previous period has the same length and ends where the range starts', () => {
    const range = presetRange('7d', now);
    const previous = previousPeriod(range);
    expect(previous.to).toEqual(range.from);
    expect(previous.from.toISOString()).toBe('2026-11-06T12:34:56.789Z');
  });

  it('custom ranges refuse nonsense with the field named', () => {
    expect(() => customRange(new Date('2026-11-02'), new Date('2026-11-01'))).toThrow('to: must be after from');
    expect(() => customRange(new Date('nope'), now)).toThrow('from: not a date');
    expect(() => customRange(new Date('2000-01-01'), now)).toThrow('at most 3 years');
  });

  it('chooses hour, day or week buckets by the range', () => {
    expect(bucketFor(presetRange('24h', now))).toBe('hour');
    expect(bucketFor(presetRange('7d', now))).toBe('day');
    expect(bucketFor(presetRange('30d', now))).toBe('day');
    expect(bucketFor(presetRange('90d', now))).toBe('week');
  });

  it('bucket starts are UTC and weeks start on Monday, like date_trunc', () => {
    expect(bucketStart(now, 'hour').toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(bucketStart(now, 'day').toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(bucketStart(now, 'week').toISOString()).toBe('2026-11-16T00:00:00.000Z'); // a Monday
    const starts = bucketStarts(presetRange('24h', now), 'hour');
    expect(starts).toHaveLength(25); // a partial first hour and the current one
    expect(starts[0].toISOString()).toBe('2026-11-19T12:00:00.000Z');
  });

  it('prints canonical ISO with six fractional digits and UTC for people', () => {
    expect(isoUtc(now)).toBe('2026-11-20T12:34:56.789000Z');
    expect(formatTimestamp(now, 'utc')).toBe('2026-11-20 12:34:56 UTC');
    expect(formatTimestamp(now, 'local')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2}$/);
    expect(formatBucket(now, 'hour', 'utc')).toBe('11-20 12:34');
    expect(formatBucket(now, 'day', 'utc')).toBe('2026-11-20');
  });
});
