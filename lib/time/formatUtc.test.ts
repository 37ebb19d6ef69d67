import { describe, expect, it } from 'vitest';
import { formatUtc } from './formatUtc';

describe('formatUtc', () => {
  it('writes ISO strings of any precision and Dates as UTC, with or without seconds', () => {
    expect(formatUtc('2026-11-28T08:02:33.123456Z')).toBe('2026-11-28 08:02:33 UTC');
    expect(formatUtc('2026-11-28T09:02:33+01:00')).toBe('2026-11-28 08:02:33 UTC');
    expect(formatUtc(new Date('2026-11-28T08:02:33Z'), { seconds: false })).toBe('2026-11-28 08:02 UTC');
  });

  it('writes a dash for no time', () => {
    expect(formatUtc(null)).toBe('—');
    expect(formatUtc(undefined)).toBe('—');
  });
});
