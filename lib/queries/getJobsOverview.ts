import 'server-only';
import type { Actor } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/guard';
import { getPool } from '@/lib/db/pool';
import { ALL_QUEUES } from '@/lib/jobs/queues';

export interface MatchRunRow {
  id: number;
  mode: string;
  trigger: string | null;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  eventsScanned: number;
  hitsNew: number;
  hitsUpdated: number;
  hitsRetired: number;
  error: string | null;
}
export interface QueueRow {
  name: string;
  description: string;
  cron: string | null;
  queued: number;
  active: number;
  failed: number;
  completed: number;
  lastCompletedAt: string | null;
}
export interface JobsOverview {
  runs: MatchRunRow[];
  queues: QueueRow[];
  pendingBatches: number;
  canRun: boolean;
}

/** The Jobs page: recent match runs, each queue's schedule and job counts (viewer+; "run now" for admins). */
export async function getJobsOverview(actor: Actor): Promise<JobsOverview> {
  const pool = getPool();
  const [runs, pending, hasBoss] = await Promise.all([
    pool.query(`SELECT id, mode, trigger, status, started_at, finished_at, events_scanned, hits_new, hits_updated, hits_retired, error,
                       (EXTRACT(EPOCH FROM finished_at - started_at) * 1000)::int AS duration_ms
                FROM match_run ORDER BY started_at DESC LIMIT 50`),
    pool.query(`SELECT count(*)::int AS n FROM ingest_batch WHERE status = 'committed' AND matched_at IS NULL`),
    pool.query(
      `SELECT to_regclass('pgboss.job') IS NOT NULL AS job, to_regclass('pgboss.schedule') IS NOT NULL AS schedule`,
    ),
  ]);
  const counts = new Map<string, Record<string, number>>();
  const lastCompleted = new Map<string, string>();
  const crons = new Map<string, string>();
  if (hasBoss.rows[0].job) {
    const { rows } = await pool.query(
      `SELECT name, state::text, count(*)::int AS n, max(completed_on) AS last FROM pgboss.job GROUP BY name, state`,
    );
    for (const row of rows) {
      counts.set(row.name, { ...(counts.get(row.name) ?? {}), [row.state]: row.n });
      if (row.state === 'completed' && row.last) lastCompleted.set(row.name, new Date(row.last).toISOString());
    }
  }
  if (hasBoss.rows[0].schedule) {
    const { rows } = await pool.query(`SELECT name, cron FROM pgboss.schedule`);
    for (const row of rows) crons.set(row.name, row.cron);
  }
  return {
    runs: runs.rows.map((r) => ({
      id: r.id,
      mode: r.mode,
      trigger: r.trigger,
      status: r.status,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      durationMs: r.duration_ms,
      eventsScanned: Number(r.events_scanned),
      hitsNew: r.hits_new,
      hitsUpdated: r.hits_updated,
      hitsRetired: r.hits_retired,
      error: r.error,
    })),
    queues: ALL_QUEUES.map((q) => {
      const c = counts.get(q.name) ?? {};
      return {
        name: q.name,
        description: q.description,
        cron: crons.get(q.name) ?? null,
        queued: (c.created ?? 0) + (c.retry ?? 0),
        active: c.active ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        lastCompletedAt: lastCompleted.get(q.name) ?? null,
      };
    }),
    pendingBatches: pending.rows[0].n,
    canRun: hasRole(actor, 'admin'),
  };
}
