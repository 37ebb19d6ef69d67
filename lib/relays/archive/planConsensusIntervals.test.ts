import { describe, expect, it } from 'vitest';
import { addHour, inRuns } from './consensusHistory';
import { planConsensusIntervals, type StoredInterval } from './planConsensusIntervals';

const runsOf = (hours: number[]) => {
  const runs: number[] = [];
  for (const hour of hours) addHour(runs, hour);
  return runs;
};
const plan = (hours: number[], batch: number[], listed: number[], stored: StoredInterval[] = []) =>
  planConsensusIntervals(hours, new Set(batch), runsOf(listed), stored);
const bounds = (result: ReturnType<typeof plan>) => result.intervals.map((i) => [i.fromHour, i.toHour]);
const stored = (id: string, fromHour: number, toHour: number): StoredInterval => ({
  id,
  fromHour,
  toHour,
  flags: [],
  nickname: null,
});

describe('addHour / inRuns', () => {
  it('keeps sorted runs of consecutive hours in any order', () => {
    expect(runsOf([1, 2, 3, 7, 8])).toEqual([1, 3, 7, 8]);
    expect(runsOf([8, 1, 3, 2, 7, 5, 4, 6])).toEqual([1, 8]);
    expect(runsOf([5, 5, 5])).toEqual([5, 5]);
    const runs = runsOf([10, 11, 20]);
    expect([9, 10, 11, 12, 20, 21].map((h) => inRuns(runs, h))).toEqual([false, true, true, false, true, false]);
  });
});

describe('planConsensusIntervals: the hour-exact rule', () => {
  it('a run lasts from the first listing to the last + 1 h; a consensus that does not list the address ends it', () => {
    const hours = [0, 1, 2, 3, 4, 5];
    expect(bounds(plan(hours, hours, [0, 1, 2, 4, 5]))).toEqual([
      [0, 3],
      [4, 6],
    ]);
  });

  it('an hour with no consensus at all does not end the run; a stretch longer than the bridge does', () => {
    expect(bounds(plan([0, 1, 3, 4], [0, 1, 3, 4], [0, 1, 3, 4]))).toEqual([[0, 5]]);
    expect(
      bounds(planConsensusIntervals([0, 1, 300, 301], new Set([0, 1, 300, 301]), runsOf([0, 1, 300, 301]), [])),
    ).toEqual([
      [0, 2],
      [300, 302],
    ]);
  });

  it('merges with a stored neighbour (months in any order) and reuses its row', () => {
    // stored: hours 0–9 (to 10); the batch brings 10–19 listing the address
    const hours = Array.from({ length: 20 }, (_, h) => h);
    const result = plan(hours, hours.slice(10), hours.slice(10), [stored('a', 0, 10)]);
    expect(bounds(result)).toEqual([[0, 20]]);
    expect(result.intervals[0].reuse?.id).toBe('a');
    expect(result.deleted).toEqual([]);
  });

  it('splits a stored run bridged over a missing hour when that hour arrives without the address', () => {
    // stored 0–5 was bridged over hour 3 (no consensus then); now hour 3 arrives and does not list it
    const result = plan([0, 1, 2, 3, 4, 5], [3], [], [stored('a', 0, 6)]);
    expect(bounds(result)).toEqual([
      [0, 3],
      [4, 6],
    ]);
    expect(result.intervals.map((i) => i.reuse?.id ?? null)).toEqual(['a', null]);
  });

  it('re-importing the same hours plans the stored intervals unchanged', () => {
    const hours = [0, 1, 2, 3, 4, 5];
    const result = plan(hours, hours, [0, 1, 2, 4, 5], [stored('a', 0, 3), stored('b', 4, 6)]);
    expect(result.intervals.map((i) => [i.reuse?.id, i.fromHour, i.toHour])).toEqual([
      ['a', 0, 3],
      ['b', 4, 6],
    ]);
    expect(result.deleted).toEqual([]);
  });

  it('carries a stored interval reaching past the window edge', () => {
    // window hours 100..110 (the sentinel 100 lies in stored 0–101), the batch lists 101..110
    const hours = Array.from({ length: 11 }, (_, i) => 100 + i);
    const result = plan(hours, hours.slice(1), hours.slice(1), [stored('a', 0, 101)]);
    expect(bounds(result)).toEqual([[0, 111]]);
  });
});
