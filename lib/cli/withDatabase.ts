import { leaseDatabase } from '@/lib/db/database';

/**
 * Runs a command against the database: DATABASE_URL, or the embedded PostgreSQL (attached when a `serve` or another
 * command runs it, else started for this command and stopped after — never stopping one this command did not start).
 */
export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const lease = await leaseDatabase('command', (line) => process.stderr.write(`torwatch: ${line}\n`));
  try {
    return await work(lease.url);
  } finally {
    const { closeDb } = await import('@/lib/db/pool');
    await closeDb();
    await lease.release();
  }
}
