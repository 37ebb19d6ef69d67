import type pg from 'pg';
import { env } from '@/lib/env';
import { listMonthPartitions, type MonthPartition } from './monthPartitions';

// What retention would remove now (docs/architecture.md §16.2). Raw events go by whole month partitions of
// network_event, never by DELETE, and only when (1) the month lies wholly before now − TORWATCH_EVENT_RETENTION_DAYS,
// (2) every event in it has been through a match run (its batch has matched_at), and (3) none of its events came in
// a batch committed in the last 7 days — so last year's telemetry, ingested today, is matched exactly before it can
// go. Summaries go by month partitions of connection_summary past TORWATCH_SUMMARY_RETENTION_DAYS. Hits, triage,
// audit and relay history are never touched.

/** Events ingested this recently keep their partition, whatever their age. */
export const RECENT_INGEST_DAYS = 7;

export type PartitionVerdict =
  | { action: 'keep'; reason: 'inside the retention window' }
  | { action: 'hold'; reason: string }
  | { action: 'drop'; reason: string };

export interface PartitionPlan {
  table: 'network_event' | 'connection_summary';
  name: string;
  month: string; // YYYY-MM
  from: Date;
  to: Date;
  /** Rows in the partition: exact up to a million, else the planner's estimate (`approximate`). */
  rows: number;
  approximate: boolean;
  bytes: number;
  verdict: PartitionVerdict;
}

export interface RetentionPlan {
  now: Date;
  eventRetentionDays: number;
  summaryRetentionDays: number;
  /** Raw events before this may be dropped (month by month). */
  eventHorizon: Date;
  summaryHorizon: Date;
  partitions: PartitionPlan[];
}

const DAY_MS = 86_400_000;
const EXACT_UP_TO = 1_000_000;

export async function planRetention(db: pg.ClientBase, now = new Date()): Promise<RetentionPlan> {
  const eventRetentionDays = env('TORWATCH_EVENT_RETENTION_DAYS');
  const summaryRetentionDays = env('TORWATCH_SUMMARY_RETENTION_DAYS');
  const eventHorizon = new Date(now.getTime() - eventRetentionDays * DAY_MS);
  const summaryHorizon = new Date(now.getTime() - summaryRetentionDays * DAY_MS);
  // Batches whose events hold their partition: committed but not matched yet, or committed within the last 7 days.
  const held = await db.query<{ id: number; unmatched: boolean }>(
    `SELECT id, matched_at IS NULL AS unmatched FROM ingest_batch
     WHERE status = 'committed' AND (matched_at IS NULL OR finished_at > $1::timestamptz - make_interval(days => $2))`,
    [now, RECENT_INGEST_DAYS],
  );
  const unmatched = held.rows.filter((b) => b.unmatched).map((b) => b.id);
  const recent = held.rows.filter((b) => !b.unmatched).map((b) => b.id);

  const partitions: PartitionPlan[] = [];
  for (const partition of await listMonthPartitions(db, 'network_event')) {
    const size = await partitionSize(db, partition);
    let verdict: PartitionVerdict;
    if (partition.to > eventHorizon) verdict = { action: 'keep', reason: 'inside the retention window' };
    else {
      const waiting = await countFromBatches(db, partition, unmatched);
      const fresh = await countFromBatches(db, partition, recent);
      if (waiting > 0) verdict = { action: 'hold', reason: `${waiting} event(s) not matched yet` };
      else if (fresh > 0)
        verdict = { action: 'hold', reason: `${fresh} event(s) ingested in the last ${RECENT_INGEST_DAYS} days` };
      else verdict = { action: 'drop', reason: `older than ${eventRetentionDays} days, all matched` };
    }
    partitions.push({ table: 'network_event', ...describe(partition), ...size, verdict });
  }
  for (const partition of await listMonthPartitions(db, 'connection_summary')) {
    const verdict: PartitionVerdict =
      partition.to > summaryHorizon
        ? { action: 'keep', reason: 'inside the retention window' }
        : { action: 'drop', reason: `older than ${summaryRetentionDays} days` };
    partitions.push({
      table: 'connection_summary',
      ...describe(partition),
      ...(await partitionSize(db, partition)),
      verdict,
    });
  }
  return { now, eventRetentionDays, summaryRetentionDays, eventHorizon, summaryHorizon, partitions };
}

function describe(partition: MonthPartition) {
  return {
    name: partition.name,
    month: partition.from.toISOString().slice(0, 7),
    from: partition.from,
    to: partition.to,
  };
}

/** Events in the partition that came in one of `batchIds`: one probe of the batch_id index per batch. */
async function countFromBatches(db: pg.ClientBase, partition: MonthPartition, batchIds: number[]): Promise<number> {
  if (batchIds.length === 0) return 0;
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${partition.name}" WHERE batch_id = ANY ($1::int[])`,
    [batchIds],
  );
  return Number(rows[0].n);
}

async function partitionSize(db: pg.ClientBase, partition: MonthPartition) {
  const { rows } = await db.query<{ estimate: number; bytes: string }>(
    `SELECT c.reltuples::float8 AS estimate, pg_total_relation_size(c.oid) AS bytes
     FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [`"${partition.name}"`],
  );
  const estimate = rows[0]?.estimate ?? -1;
  const bytes = Number(rows[0]?.bytes ?? 0);
  // reltuples is -1 before the first ANALYZE; a small partition is cheap to count exactly.
  if (estimate >= 0 && estimate > EXACT_UP_TO) return { rows: Math.round(estimate), approximate: true, bytes };
  const counted = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${partition.name}"`);
  return { rows: Number(counted.rows[0].n), approximate: false, bytes };
}
