// Work `serve` does once the database is ready and before the web server starts (first-run setup token,
// default relay feeds, …). Each hook is idempotent.
type Hook = (log: (line: string) => void) => Promise<void>;

const HOOKS: Array<() => Promise<Hook>> = [
  () => import('@/lib/auth/startup').then((m) => m.default),
  () => import('@/lib/ingest/recoverOnStart').then((m) => m.recoverInterruptedIngests),
  () => import('@/lib/relays/ensureDefaultFeeds').then((m) => m.ensureDefaultFeeds),
];

export async function runStartupHooks(log: (line: string) => void): Promise<void> {
  for (const load of HOOKS) await (await load())(log);
}
