import { describe, expect, it } from 'vitest';
import { isoInstant, parseInstant } from './instant';

const iso = (text: string) => parseInstant(text)?.toISOString() ?? null;

describe('parseInstant', () => {
  it('reads a time without a zone as UTC, whatever the machine’s zone', () => {
    expect(iso('2026-03-10T12:00:00')).toBe('2026-03-10T12:00:00.000Z');
    expect(iso('2026-03-10 12:00')).toBe('2026-03-10T12:00:00.000Z');
    expect(iso('2026-03-10')).toBe('2026-03-10T00:00:00.000Z');
  });

  it('honours Z and offsets, and keeps milliseconds of longer fractions', () => {
    expect(iso('2026-03-10T12:00:00Z')).toBe('2026-03-10T12:00:00.000Z');
    expect(iso('2026-03-10T12:00:00+02:00')).toBe('2026-03-10T10:00:00.000Z');
    expect(iso('2026-03-10T12:00:00-0530')).toBe('2026-03-10T17:30:00.000Z');
    expect(iso('2023-10-18T15:43:47.1549452Z')).toBe('2023-10-18T15:43:47.154Z');
  });

  it('refuses what is not an ISO 8601 instant or not a real one', () => {
    for (const text of ['', 'yesterday', '3/10/2026', '2026-02-30', '2026-03-10T24:00:00', '2026-03-10T10:00+25:00'])
      expect(parseInstant(text), text).toBeNull();
  });
});

describe('isoInstant', () => {
  it('parses to a Date, zone-less as UTC, and names the bad value', () => {
    expect(isoInstant.parse('2026-03-10T12:00:00').toISOString()).toBe('2026-03-10T12:00:00.000Z');
    expect(isoInstant.safeParse('soon').error?.issues[0].message).toMatch(/not an ISO 8601 time .*"soon"/);
  });
});
