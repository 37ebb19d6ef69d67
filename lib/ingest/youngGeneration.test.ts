import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capYoungGeneration } from './youngGeneration';

// What the cap does to V8's heap (it stays near the limit under churn, where it otherwise grows to the ceiling) is
// measured in `npm run bench:parse`; here, when it tells V8 to stop growing the young generation. The flag is
// intercepted: it is process-wide, and this process runs other tests.
afterEach(() => {
  vi.restoreAllMocks();
});

describe('capYoungGeneration', () => {
  it('does nothing while the young generation is under the limit', () => {
    const setFlags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => {});
    const check = capYoungGeneration(Number.MAX_SAFE_INTEGER);
    check();
    check();
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('stops its growth once, when it has reached the limit', () => {
    const setFlags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => {});
    const check = capYoungGeneration(0);
    check();
    check();
    expect(setFlags.mock.calls).toEqual([['--semi-space-growth-factor=1']]);
  });
});
