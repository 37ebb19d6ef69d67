// The relay listings of a batch of consensuses (one archive, a directory, recent/), kept compactly while the
// documents stream by: per address key (fingerprint, OR address, ORPort) the hours that listed it, as runs of
// consecutive hours, plus the union of its flags and its latest nickname. A month of ~744 consensuses × ~7,500
// relays becomes ~20,000 keys with a few runs each. Listings of one document are held apart until the document
// proves complete (commitDocument), so a broken document adds nothing.

export const HOUR_MS = 3_600_000;

/** See consensusReader.ts: a copy not tied to the chunk it was cut from. */
const detach = (text: string) => (' ' + text).slice(1);

export interface PendingListing {
  key: number;
  flags: number;
  nickname: string;
}

export class ConsensusHistory {
  readonly fingerprint: string[] = [];
  readonly ip: string[] = [];
  readonly port: number[] = [];
  /** Flat [start, end, start, end, …] hour numbers (epoch hours) of consecutive listed hours, sorted. */
  readonly runs: number[][] = [];
  readonly flagMask: number[] = [];
  readonly nickname: string[] = [];
  readonly lastHour: number[] = [];
  readonly lastFlags: number[] = [];
  /** Consensus hours of this batch → flavour and number of relays. */
  readonly hours = new Map<number, { flavour: 'ns' | 'microdesc'; relays: number }>();
  private readonly keyIds = new Map<string, number>();
  private readonly flagBits = new Map<string, number>();
  private readonly flagNames: string[] = [];
  private readonly flagLineMasks = new Map<string, number>();

  keyId(fingerprint: string, ip: string, port: number): number {
    const text = `${fingerprint}|${ip}|${port}`;
    let id = this.keyIds.get(text);
    if (id === undefined) {
      id = this.fingerprint.length;
      this.keyIds.set(text, id);
      this.fingerprint.push(fingerprint);
      this.ip.push(ip);
      this.port.push(port);
      this.runs.push([]);
      this.flagMask.push(0);
      this.nickname.push('');
      this.lastHour.push(-Infinity);
      this.lastFlags.push(0);
    }
    return id;
  }

  /** The bit mask of an `s` line's flags (cached by line: a consensus has a few dozen distinct flag sets). */
  flagsOf(line: string): number {
    let mask = this.flagLineMasks.get(line);
    if (mask !== undefined) return mask;
    mask = 0;
    for (const flag of line.split(' ').slice(1)) {
      if (!flag) continue;
      let bit = this.flagBits.get(flag);
      if (bit === undefined && this.flagNames.length < 31) {
        bit = this.flagNames.length;
        this.flagBits.set(flag, bit);
        this.flagNames.push(flag);
      }
      if (bit !== undefined) mask |= 1 << bit;
    }
    this.flagLineMasks.set(line, mask);
    return mask;
  }

  flagList(mask: number): string[] {
    return this.flagNames.filter((_, bit) => mask & (1 << bit)).sort();
  }

  commitDocument(hour: number, flavour: 'ns' | 'microdesc', relays: number, listings: PendingListing[]): void {
    this.hours.set(hour, { flavour, relays });
    for (const { key, flags, nickname } of listings) {
      addHour(this.runs[key], hour);
      this.flagMask[key] |= flags;
      if (hour >= this.lastHour[key]) {
        this.lastHour[key] = hour;
        if (nickname !== this.nickname[key]) this.nickname[key] = detach(nickname);
        this.lastFlags[key] = flags;
      }
    }
  }

  get keyCount(): number {
    return this.fingerprint.length;
  }
}

/** Adds an hour to sorted runs of consecutive hours (appending in time order is the common, O(1) case). */
export function addHour(runs: number[], hour: number): void {
  const n = runs.length;
  if (n === 0 || hour > runs[n - 1] + 1) {
    runs.push(hour, hour);
    return;
  }
  if (hour === runs[n - 1] + 1) {
    runs[n - 1] = hour;
    return;
  }
  // Out of order: find the first run ending at or after hour − 1.
  let i = 0;
  while (i < n && runs[i + 1] < hour - 1) i += 2;
  if (hour >= runs[i] && hour <= runs[i + 1]) return;
  if (hour === runs[i + 1] + 1) runs[i + 1] = hour;
  else if (hour === runs[i] - 1) runs[i] = hour;
  else {
    runs.splice(i, 0, hour, hour);
    return;
  }
  if (i + 2 < runs.length && runs[i + 1] + 1 >= runs[i + 2]) mergeAt(runs, i);
  if (i >= 2 && runs[i - 1] + 1 >= runs[i]) mergeAt(runs, i - 2);
}

function mergeAt(runs: number[], i: number): void {
  runs.splice(i + 1, 2); // [a, b, c, d] → [a, d]
}

/** True when `hour` lies in one of the sorted runs. */
export function inRuns(runs: number[], hour: number): boolean {
  let lo = 0;
  let hi = runs.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (hour < runs[mid * 2]) hi = mid - 1;
    else if (hour > runs[mid * 2 + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}
