import { describe, expect, it } from 'vitest';
import { parseRelayDate } from './relayDates';

const iso = (text: string) => parseRelayDate(text)?.toISOString() ?? null;

describe('parseRelayDate', () => {
  it('reads en-US culture dates as UTC, with 12 AM = 00 and 12 PM = 12', () => {
    expect(iso('3/30/2022 12:00:00 AM')).toBe('2022-03-30T00:00:00.000Z');
    expect(iso('3/30/2022 12:30:00 PM')).toBe('2022-03-30T12:30:00.000Z');
    expect(iso('3/30/2022 1:05:09 PM')).toBe('2022-03-30T13:05:09.000Z');
    expect(iso('12/31/2025 11:59:59 PM')).toBe('2025-12-31T23:59:59.000Z');
    expect(iso('03/30/2022 17:00:00')).toBe('2022-03-30T17:00:00.000Z'); // invariant culture, 24 h
  });

  it('reads ISO 8601 with or without a zone (none = UTC) and the Onionoo form', () => {
    expect(iso('2023-10-18T15:43:47.1549452Z')).toBe('2023-10-18T15:43:47.154Z');
    expect(iso('2024-02-29T23:59:59+01:00')).toBe('2024-02-29T22:59:59.000Z');
    expect(iso('2024-02-29T23:59:59-0530')).toBe('2024-03-01T05:29:59.000Z');
    expect(iso('2026-11-20T12:00:00')).toBe('2026-11-20T12:00:00.000Z');
    expect(iso('2026-11-20 12:00:00')).toBe('2026-11-20T12:00:00.000Z');
    expect(iso('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
  });

  it('returns null for impossible or unreadable dates', () => {
    for (const text of [
      '13/1/2022 1:00:00 PM',
      '2/30/2026 3:04:05 PM',
      '2025-02-29 00:00:00',
      '2026-04-31',
      '3/30/2022 13:00:00 PM',
      '3/30/2022 0:00:00 AM',
      '2026-11-20 24:00:00',
      '2026-11-20T10:61:00Z',
      'yesterday',
      '',
      '   ',
      '2026-11-20T10:00:00+25:00',
    ]) {
      expect(parseRelayDate(text), text).toBeNull();
    }
  });
});
