import type { PgBoss } from 'pg-boss';
import { env } from '@/lib/env';

/**
 * A pg-boss client for one errand outside the worker (queue a job, change a schedule): one connection, no
 * supervisor, no scheduler, stopped right after. pg-boss is loaded only here, when there is an errand, so a command
 * that queues a job at its end does not pay for loading it at its start. Throws when DATABASE_URL is not set.
 */
export async function withShortLivedBoss<T>(
  errand: (boss: PgBoss) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const connectionString = env('DATABASE_URL');
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 1,
    supervise: false,
    schedule: false,
    ...(options.migrate === false ? { migrate: false } : {}),
  });
  boss.on('error', () => {});
  try {
    await boss.start();
    return await errand(boss);
  } finally {
    await boss.stop({ graceful: false, close: true }).catch(() => {});
  }
}
