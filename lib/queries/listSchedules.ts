import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { nextRuns } from '@/lib/jobs/cronPreview';
import { ALL_QUEUES } from '@/lib/jobs/queues';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface ScheduleRow {
  queue: string;
  description: string;
  defaultCron: string | null;
  cron: string | null; // the admin's override, else the default; null = never on a schedule
  overridden: boolean;
  nextRunsAt: string[]; // the next three (UTC)
}

export interface FeedSettingRow {
  name: string;
  format: string;
  url: string | null;
  enabled: boolean;
}

/** Settings → Feeds & schedules (admin): every queue's cron and next runs, and the configured relay feeds. */
export async function listSchedules(actor: Actor): Promise<{ schedules: ScheduleRow[]; feeds: FeedSettingRow[] }> {
  authoriseQuery(actor, 'admin');
  const pool = getPool();
  const [settings, feeds] = await Promise.all([
    pool.query<{ key: string; value: { cron: string | null } }>(
      `SELECT key, value FROM setting WHERE key LIKE 'schedule.%'`,
    ),
    pool.query<FeedSettingRow>('SELECT name, format, url, enabled FROM relay_feed WHERE url IS NOT NULL ORDER BY id'),
  ]);
  const overrides = new Map(settings.rows.map((row) => [row.key.slice('schedule.'.length), row.value?.cron ?? null]));
  return {
    schedules: ALL_QUEUES.map((queue) => {
      const overridden = overrides.has(queue.name);
      const cron = overridden ? overrides.get(queue.name)! : queue.defaultCron;
      let nextRunsAt: string[] = [];
      try {
        nextRunsAt = cron ? nextRuns(cron, 3).map((date) => date.toISOString()) : [];
      } catch {
        nextRunsAt = [];
      }
      return {
        queue: queue.name,
        description: queue.description,
        defaultCron: queue.defaultCron,
        cron,
        overridden,
        nextRunsAt,
      };
    }),
    feeds: feeds.rows,
  };
}
