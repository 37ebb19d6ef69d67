import { describe, expect, it } from 'vitest';
import { monthsBetween, partitionName } from './partitions';

describe('month partitions', () => {
  it('names the partition of a time by its UTC month', () => {
    expect(partitionName(new Date('2019-03-31T23:30:00Z'))).toBe('network_event_y2019m03');
    expect(partitionName(new Date('2019-04-01T00:30:00+02:00'))).toBe('network_event_y2019m03');
    expect(partitionName(new Date('2026-12-01T00:00:00Z'))).toBe('network_event_y2026m12');
  });
  it('lists every month between two times, both ends included, across a year', () => {
    expect(
      monthsBetween(new Date('2025-11-15T00:00:00Z'), new Date('2026-02-01T00:00:00Z')).map((d) => d.toISOString()),
    ).toEqual([
      '2025-11-01T00:00:00.000Z',
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    expect(monthsBetween(new Date('2026-02-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))).toEqual([]);
  });
});
