import { PgBoss } from 'pg-boss';
import { getPrisma } from '@/lib/db/client';
import type { JobHandlers } from './jobHandler';
import { ALL_QUEUES } from './queues';

// The pg-boss worker that `torwatch serve` runs beside the web server: creates the queues, registers the cron
// schedules (admin overrides from Settings), works the queues, and beats a heartbeat the health check reads.

export interface Worker {
  boss: PgBoss;
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 15_000;

export async function startWorker(
  connectionString: string,
  handlers: JobHandlers,
  log: (line: string) => void = console.log,
): Promise<Worker> {
  const boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4 });
  boss.on('error', (error: Error) => log(`worker: ${error.message}`));
  await boss.start();
  for (const queue of ALL_QUEUES) {
    await boss.createQueue(queue.name, {
      policy: queue.policy,
      retryLimit: queue.retryLimit ?? 0,
      retryBackoff: queue.retryBackoff ?? false,
      retryDelay: 30,
    });
  }
  await registerSchedules(boss);
  for (const [name, load] of Object.entries(handlers)) {
    const handler = await load!();
    await boss.work<Record<string, unknown>>(name, { batchSize: 1 }, async ([job]) => handler(job.data ?? {}));
  }
  const beat = () =>
    getPrisma()
      .setting.upsert({
        where: { key: 'worker.heartbeat' },
        create: { key: 'worker.heartbeat', value: { at: new Date().toISOString(), pid: process.pid } },
        update: { value: { at: new Date().toISOString(), pid: process.pid }, updatedAt: new Date() },
      })
      .catch((error: Error) => log(`worker heartbeat: ${error.message}`));
  await beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  log(`worker started: ${ALL_QUEUES.length} queues, ${Object.keys(handlers).length} with handlers`);
  return {
    boss,
    async stop() {
      clearInterval(timer);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

/** Cron per queue: the admin's override from Settings when present, else the default; none disables. */
export async function registerSchedules(boss: PgBoss): Promise<void> {
  const overrides = await getPrisma().setting.findMany({ where: { key: { startsWith: 'schedule.' } } });
  const byQueue = new Map(overrides.map((s) => [s.key.slice('schedule.'.length), s.value as { cron: string | null }]));
  for (const queue of ALL_QUEUES) {
    const cron = byQueue.has(queue.name) ? byQueue.get(queue.name)!.cron : queue.defaultCron;
    if (cron) await boss.schedule(queue.name, cron, { trigger: 'schedule' }, { tz: 'UTC' });
    else await boss.unschedule(queue.name);
  }
}
