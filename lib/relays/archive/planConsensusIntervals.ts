import { inRuns } from './consensusHistory';

// The hour-exact rule (README "Relay history"), applied to one address key around a batch of consensus hours:
// an address is a relay address from the valid-after of the first consensus of a run that lists it to the
// valid-after of the last one + 1 h. A consensus that exists and does not list it ends the run; an hour with no
// consensus does not — up to BRIDGE_HOURS without any consensus (a longer stretch is a hole in the history, e.g. a
// month not imported, and ends the run too). Hours are epoch hours.
//
// Inputs cover a window: `hours` = every stored consensus hour in [batch start − bridge, batch end + bridge] plus the
// nearest one on each side outside it; the key's stored intervals that touch that span; the batch's listings of the
// key. The result replaces those stored intervals, reusing rows where they overlap so that unchanged intervals stay
// as they are (and the retro match sees only the newly covered time).

export const BRIDGE_HOURS = 7 * 24;

export interface StoredInterval {
  id: string;
  fromHour: number;
  toHour: number; // exclusive: the last listing valid-after + 1
  flags: string[];
  nickname: string | null;
}

export interface PlannedInterval {
  fromHour: number;
  toHour: number;
  reuse: StoredInterval | null;
  merged: StoredInterval[]; // other stored intervals it absorbs (deleted)
}

export interface KeyPlan {
  intervals: PlannedInterval[];
  deleted: StoredInterval[]; // stored intervals no planned one overlaps
}

export function planConsensusIntervals(
  hours: number[],
  batchHours: ReadonlySet<number>,
  batchRuns: number[],
  stored: StoredInterval[],
  bridge = BRIDGE_HOURS,
): KeyPlan {
  const runs: Array<[number, number]> = [];
  let start: number | null = null;
  let end = 0;
  let previous = 0;
  let cursor = 0;
  const storedCovering = (hour: number): StoredInterval | null => {
    while (cursor < stored.length && stored[cursor].toHour <= hour) cursor++;
    return cursor < stored.length && stored[cursor].fromHour <= hour ? stored[cursor] : null;
  };
  for (const hour of hours) {
    const listed = batchHours.has(hour) ? inRuns(batchRuns, hour) : storedCovering(hour) !== null;
    if (start !== null && (!listed || hour - previous > bridge)) {
      runs.push([start, end]);
      start = null;
    }
    if (listed) {
      if (start === null) start = hour;
      end = hour;
    }
    previous = hour;
  }
  if (start !== null) runs.push([start, end]);

  const used = new Set<StoredInterval>();
  const intervals = runs.map(([first, last]): PlannedInterval => {
    let fromHour = first;
    let toHour = last + 1;
    // A stored interval reaching past the window's edge carries its outer bound over (inside the window, every hour
    // of a stored interval is in `hours` and was walked).
    for (const interval of stored) {
      if (first === hours[0] && interval.fromHour <= first && interval.toHour > first)
        fromHour = Math.min(fromHour, interval.fromHour);
      if (last === hours[hours.length - 1] && interval.fromHour <= last && interval.toHour > last)
        toHour = Math.max(toHour, interval.toHour);
    }
    const overlapping = stored.filter((s) => !used.has(s) && s.fromHour < toHour && s.toHour > fromHour);
    overlapping.forEach((s) => used.add(s));
    return { fromHour, toHour, reuse: overlapping[0] ?? null, merged: overlapping.slice(1) };
  });
  return { intervals, deleted: stored.filter((s) => !used.has(s)) };
}
