import type { PoolClient } from 'pg';
import { QUEUES } from '@/lib/jobs/queues';
import { withShortLivedBoss } from '@/lib/jobs/withShortLivedBoss';

// Queues 'webhook-deliver' jobs through the caller's connection, so inside a match run's transaction the jobs commit
// (or roll back) together with their webhook_delivery rows: no job for a delivery that never existed, no delivery
// left without a job. pg-boss needs a started instance to look its queue up; a short-lived sender does that and is
// started only when there is something to send. A failure to queue is recorded on the delivery (still `pending`, the
// Webhooks page can retry it) and never fails the match run: the SAVEPOINT keeps the transaction usable.
export async function queueDeliveries(client: PoolClient, deliveryIds: string[]): Promise<void> {
  if (!deliveryIds.length) return;
  await client.query('SAVEPOINT queue_webhooks');
  try {
    // Loaded only when there is something to send: pg-boss and its scheduler libraries cost a short command ~40 ms.
    await withShortLivedBoss(async (boss) => {
      const db = { executeSql: async (text: string, values?: unknown[]) => client.query(text, values) };
      for (const id of deliveryIds) await boss.send(QUEUES.webhooks.name, { deliveryId: id }, { db });
    });
    await client.query('RELEASE SAVEPOINT queue_webhooks');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT queue_webhooks');
    await client.query(`UPDATE webhook_delivery SET error = $2 WHERE id = ANY($1::bigint[])`, [
      deliveryIds,
      `not queued: ${(error as Error).message.slice(0, 500)}`,
    ]);
  }
}
