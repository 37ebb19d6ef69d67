import { env } from '@/lib/env';

// Crash points for the exactly-once tests: TORWATCH_TEST_CRASH=<point>[@n] kills this process with SIGKILL the n-th
// time (default the first) a connector run reaches <point>. Nothing else reads the variable; unset, it costs a
// property lookup.

export type CrashPoint = 'before-batch' | 'mid-copy' | 'before-commit' | 'after-commit';

const reached = new Map<string, number>();

export function crashPoint(point: CrashPoint): void {
  const wanted = env('TORWATCH_TEST_CRASH');
  if (!wanted) return;
  const [name, nth] = wanted.split('@');
  if (name !== point) return;
  const count = (reached.get(point) ?? 0) + 1;
  reached.set(point, count);
  if (count === Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
}
