import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Each run is a fresh process: the setting is process-wide, and this one's young generation has grown already.
const CHURN = `
  import v8 from 'node:v8';
  const { capYoungGeneration } = await import(${JSON.stringify(path.join(import.meta.dirname, 'youngGeneration.ts'))});
  const check = process.argv[1] === 'cap' ? capYoungGeneration(4 * 1024 * 1024) : () => {};
  const live = new Array(50000); // objects that survive a few scavenges, as a chunk of parsed rows does
  for (let i = 0; i < 3000000; i++) {
    live[i % live.length] = { i, text: 'row ' + i };
    if (i % 1000 === 0) check();
  }
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
  console.log(Math.round(young / 1024 / 1024));
`;

function youngGenerationMb(mode: 'cap' | 'free'): number {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHURN, mode], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).toBe('');
  return Number(result.stdout.trim());
}

describe('capYoungGeneration', () => {
  it('stops V8 growing the young generation past the limit, which it otherwise does under churn', () => {
    // Free, it grows to V8's ceiling (64 MB here). Capped at 4 MB it stays near the cap: a resize or two may land
    // between two checks (seen up to 9 MB on a busy machine), so the bound leaves room for that, not for the ceiling.
    expect(youngGenerationMb('free')).toBeGreaterThanOrEqual(32);
    expect(youngGenerationMb('cap')).toBeLessThanOrEqual(16);
  });
});
