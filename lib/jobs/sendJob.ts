import type { QueueName } from './queues';

/**
 * Queues a job from outside the worker (CLI, route handlers): a short-lived client that only sends. Apart from the
 * worker module, and pg-boss loaded only when sending, so a command that queues a job at its end (ingest, relay
 * import) does not load the worker, its handlers and the Prisma client at its start.
 */
export async function sendJob(name: QueueName, data: Record<string, unknown> = {}): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 1, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  try {
    await boss.send(name, data);
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}
