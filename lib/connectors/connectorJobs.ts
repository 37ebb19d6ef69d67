import type { JobHandler } from '@/lib/jobs/jobHandler';
import { getPool } from '@/lib/db/pool';
import { sendJob } from '@/lib/jobs/sendJob';
import { findConnector, listConnectors } from './connectorStore';
import { notifyStalled } from './notifyStalled';
import { runConnector } from './runConnector';
import type { Connector } from './types';

// The worker side. 'connectors-tick' runs every minute: it queues a 'connector-run' for each connector that is due
// (its interval since its last run, stretched by the backoff after failures) and announces connectors that stalled.
// 'connector-run' runs one connector; the run's advisory lock keeps it to one at a time across processes, and a
// run that is not due (queued twice) is passed over unless asked for with Run now.

/** After `failures` failed runs in a row the next comes after interval × 2^failures, at most an hour later. */
export function nextRunAt(connector: Connector): Date | null {
  if (connector.paused) return null;
  if (!connector.lastRunAt) return new Date(0);
  const interval = connector.intervalMinutes * 60_000;
  const wait = Math.min(interval * 2 ** Math.min(connector.failures, 10), Math.max(interval, 3_600_000));
  return new Date(connector.lastRunAt.getTime() + wait);
}

/** No success within three intervals (since it was added, before its first). */
export function isStalled(connector: Connector, now = Date.now()): boolean {
  if (connector.paused) return false;
  const since = (connector.lastSuccessAt ?? connector.createdAt).getTime();
  return now - since > 3 * connector.intervalMinutes * 60_000;
}

export const connectorsTickJob: JobHandler = async () => {
  const now = Date.now();
  const connectors = await listConnectors();
  let queued = 0;
  for (const connector of connectors) {
    const due = nextRunAt(connector);
    if (due && due.getTime() <= now + 5_000) {
      try {
        await sendJob('connector-run', { id: connector.id });
        queued++;
      } catch (error) {
        console.warn(`connectors: could not queue ${connector.name}: ${(error as Error).message}`);
      }
    }
  }
  const stalled = connectors.filter((c) => isStalled(c, now) && !c.stalledNotifiedAt);
  for (const connector of stalled) await notifyStalled(connector);
  return { queued, stalled: stalled.length };
};

export const connectorRunJob: JobHandler = async (data) => {
  const connector = await findConnector(Number(data.id));
  if (!connector) return { skipped: 'no such connector' };
  const now = data.now === true;
  if (!now) {
    const due = nextRunAt(connector);
    if (!due || due.getTime() > Date.now() + 5_000) return { skipped: connector.paused ? 'paused' : 'not due' };
  }
  const outcome = await runConnector(connector);
  return { status: outcome.status, ...outcome.totals, error: outcome.error ?? null };
};

/** Run now (Settings → Connectors, and right after a connector is added). */
export async function queueRunNow(id: number): Promise<void> {
  await sendJob('connector-run', { id, now: true });
}

/** Events the connector brought in over the last 24 hours, per hour. */
export async function eventsPerHour(): Promise<Map<number, number>> {
  const { rows } = await getPool().query<{ actor: string; n: string }>(
    `SELECT actor, sum(rows_read) AS n FROM ingest_batch
     WHERE via = 'connector' AND status = 'committed' AND finished_at > now() - interval '24 hours'
     GROUP BY actor`,
  );
  return new Map(rows.map((r) => [Number(r.actor.slice('connector:'.length)), Math.round(Number(r.n) / 24)]));
}
