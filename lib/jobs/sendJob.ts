import { env } from '@/lib/env';
import type { QueueName } from './queues';
import { withShortLivedBoss } from './withShortLivedBoss';

/**
 * Queues a job from outside the worker (CLI, route handlers) through a short-lived pg-boss client. Apart from the
 * worker module, so a command that queues a job at its end (ingest, relay import) does not load the worker, its
 * handlers and the Prisma client at its start. Without a database URL there is no queue: nothing to do.
 */
export async function sendJob(name: QueueName, data: Record<string, unknown> = {}): Promise<void> {
  if (!env('DATABASE_URL')) return;
  await withShortLivedBoss(async (boss) => {
    await boss.send(name, data);
  });
}
