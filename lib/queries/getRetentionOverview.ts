import 'server-only';
import { authoriseQuery } from '@/lib/auth/authorise';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { LAST_RUN_SETTING, type LastRetentionRun } from '@/lib/retention/applyRetention';
import { planRetention, type PartitionVerdict } from '@/lib/retention/retentionPlan';

// Settings → Retention (docs/architecture.md §16.2): what a run now would drop (a dry run: the plan is read without
// the locks, changes nothing), the last run, and the months already dropped. Admins only.

export interface RetentionPartitionRow {
  table: string;
  month: string;
  rows: number;
  approximate: boolean;
  bytes: number;
  verdict: PartitionVerdict;
}

export interface RetentionOverview {
  eventRetentionDays: number;
  summaryRetentionDays: number;
  eventHorizon: string;
  summaryHorizon: string;
  partitions: RetentionPartitionRow[];
  lastRun: LastRetentionRun | null;
  droppedMonths: { month: string; droppedAt: string; events: number; actor: string }[];
}

export async function getRetentionOverview(actor: Actor): Promise<RetentionOverview> {
  authoriseQuery(actor, 'admin');
  const client = await getPool().connect();
  try {
    const plan = await planRetention(client);
    const lastRun = await client.query<{ value: LastRetentionRun }>('SELECT value FROM setting WHERE key = $1', [
      LAST_RUN_SETTING,
    ]);
    const dropped = await client.query<{ month: string; dropped_at: string; events: string; actor: string }>(
      `SELECT to_char(month AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
              to_char(dropped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS dropped_at, events::text, actor
       FROM retention_dropped_month ORDER BY month DESC LIMIT 120`,
    );
    return {
      eventRetentionDays: plan.eventRetentionDays,
      summaryRetentionDays: plan.summaryRetentionDays,
      eventHorizon: plan.eventHorizon.toISOString(),
      summaryHorizon: plan.summaryHorizon.toISOString(),
      partitions: plan.partitions.map((p) => ({
        table: p.table,
        month: p.month,
        rows: p.rows,
        approximate: p.approximate,
        bytes: p.bytes,
        verdict: p.verdict,
      })),
      lastRun: lastRun.rows[0]?.value ?? null,
      droppedMonths: dropped.rows.map((r) => ({
        month: r.month,
        droppedAt: r.dropped_at,
        events: Number(r.events),
        actor: r.actor,
      })),
    };
  } finally {
    client.release();
  }
}
