import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { lockEventWriter } from '@/lib/ingest/ingestBatchRow';
import { planRetention, type PartitionPlan, type RetentionPlan } from './retentionPlan';
import { summarizeMonth } from './summarizeMonth';

// Applies the retention plan (docs/architecture.md §16.2): drops the month partitions it marks `drop`, in one
// transaction holding the match lock (no run sees half a month) and the event-writer lock (no batch writes into a
// partition being dropped). The plan is made inside that transaction, so what goes is what the rules allow at that
// moment. A network_event month is summarised into connection_summary just before it is dropped (§16.1; not when
// its summaries would be past their own retention already), and recorded in retention_dropped_month — the matcher
// consults the summaries for those months — and, in the same transaction, an audit row and the `retention.lastRun`
// setting.

export interface RetentionOutcome {
  plan: RetentionPlan;
  dryRun: boolean;
  dropped: PartitionPlan[];
}

export interface LastRetentionRun {
  at: string;
  actor: string;
  trigger: string;
  dryRun: boolean;
  dropped: { table: string; month: string; rows: number; bytes: number }[];
}

export const LAST_RUN_SETTING = 'retention.lastRun';
const MATCH_LOCK = 'torwatch:match';

export async function applyRetention(options: {
  dryRun: boolean;
  actor: Actor | null;
  trigger: 'cli' | 'schedule' | 'settings';
  now?: Date;
}): Promise<RetentionOutcome> {
  const client = await getPool().connect();
  let outcome: RetentionOutcome;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MATCH_LOCK]);
    await lockEventWriter(client, true);
    const plan = await planRetention(client, options.now);
    const dropped = options.dryRun ? [] : plan.partitions.filter((p) => p.verdict.action === 'drop');
    const actorLabel = options.actor?.label ?? 'system';
    for (const partition of dropped) {
      if (partition.table === 'network_event' && partition.to > plan.summaryHorizon)
        await summarizeMonth(client, partition);
      // The name comes from the catalogue (listMonthPartitions), matched against the expected pattern.
      await client.query(`DROP TABLE "${partition.name}"`);
      if (partition.table === 'network_event')
        await client.query(
          `INSERT INTO retention_dropped_month (month, events, bytes, actor) VALUES ($1, $2, $3, $4)
           ON CONFLICT (month) DO UPDATE SET dropped_at = now(), events = retention_dropped_month.events + EXCLUDED.events,
             bytes = retention_dropped_month.bytes + EXCLUDED.bytes, actor = EXCLUDED.actor`,
          [partition.from, partition.rows, partition.bytes, actorLabel],
        );
    }
    const lastRun: LastRetentionRun = {
      at: new Date().toISOString(),
      actor: actorLabel,
      trigger: options.trigger,
      dryRun: options.dryRun,
      dropped: dropped.map((p) => ({ table: p.table, month: p.month, rows: p.rows, bytes: p.bytes })),
    };
    if (!options.dryRun) {
      await client.query(
        `INSERT INTO setting (key, value, updated_at, updated_by) VALUES ($1, $2, now(), $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [LAST_RUN_SETTING, JSON.stringify(lastRun), actorLabel],
      );
      // What went is recorded with it, in the same transaction (an admin's run is recorded even when nothing went).
      if (dropped.length > 0 || options.trigger === 'settings')
        await client.query(
          `INSERT INTO audit_log (actor_id, actor, action, details) VALUES ($1, $2, 'retention.apply', $3)`,
          [
            options.actor ? `${options.actor.kind}:${options.actor.id}` : null,
            actorLabel,
            JSON.stringify({ trigger: options.trigger, dropped: lastRun.dropped }),
          ],
        );
    }
    await client.query('COMMIT');
    outcome = { plan, dryRun: options.dryRun, dropped };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return outcome;
}
