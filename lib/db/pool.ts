import pg from 'pg';

// The pg pool (raw SQL, COPY) of this process, from DATABASE_URL — read when first used, because the launcher sets it
// after booting the embedded PostgreSQL. Kept apart from the Prisma client (lib/db/client.ts) so that the hot paths
// (match, ingest, hits) do not load Prisma's generated client and query compiler at all.
const globalForDb = globalThis as unknown as { torwatchPool?: pg.Pool; torwatchClosers?: Set<() => Promise<unknown>> };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (the torwatch launcher sets it for the embedded database)');
  return url;
}

export function getPool(): pg.Pool {
  globalForDb.torwatchPool ??= new pg.Pool({ connectionString: databaseUrl(), max: 8 });
  return globalForDb.torwatchPool;
}

/** Registers another connection holder (the Prisma client) to be closed by closeDb. */
export function onCloseDb(close: () => Promise<unknown>): void {
  (globalForDb.torwatchClosers ??= new Set()).add(close);
}

/** Closes the pool and every registered client (CLI commands and tests call this before exiting). */
export async function closeDb(): Promise<void> {
  const { torwatchPool, torwatchClosers } = globalForDb;
  globalForDb.torwatchPool = undefined;
  globalForDb.torwatchClosers = undefined;
  await Promise.all([torwatchPool?.end(), ...[...(torwatchClosers ?? [])].map((close) => close())]);
}
