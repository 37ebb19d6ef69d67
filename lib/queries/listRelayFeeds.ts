import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { hasRole } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { nextRuns } from '@/lib/jobs/cronPreview';
import { ALL_QUEUES } from '@/lib/jobs/queues';
import { DEFAULT_FEEDS } from '@/lib/relays/relayFeeds';
import { authoriseQuery } from '@/lib/auth/authorise';

export const RELAY_DATA_STALE_HOURS = 36;

export interface RelayFeedStatus {
  name: string;
  format: string;
  url: string | null;
  enabled: boolean;
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  snapshot: {
    id: number;
    observedAt: string;
    relays: number;
    addresses: number;
    rejected: number;
    forced: boolean;
  } | null;
  ageHours: number | null; // since the last snapshot's observed time
  queue: string | null; // the pg-boss queue that fetches it (configured feeds only)
  cron: string | null;
  nextRunAt: string | null;
}

export interface RelayFeedsOverview {
  feeds: RelayFeedStatus[];
  newestObservedAt: string | null; // the newest snapshot of any feed
  newestAgeHours: number | null;
  stale: boolean; // no relay data, or none newer than RELAY_DATA_STALE_HOURS
  canUpload: boolean; // analyst+
}

/** Feed status for the Relays page: last fetch and result, the last snapshot's counts and age, the next run. */
export async function listRelayFeeds(actor: Actor): Promise<RelayFeedsOverview> {
  authoriseQuery(actor, 'viewer');
  const pool = getPool();
  const [feeds, schedules, settings] = await Promise.all([
    pool.query(`
      SELECT f.name, f.format, f.url, f.enabled, f.last_fetch_at, f.last_success_at, f.last_status, f.last_error,
             s.id AS snapshot_id, s.observed_at, s.relay_count, s.address_count, s.rejected_count, s.forced
      FROM relay_feed f LEFT JOIN relay_snapshot s ON s.id = f.last_snapshot_id
      ORDER BY f.url IS NULL, f.id`),
    pool
      .query(`SELECT to_regclass('pgboss.schedule') IS NOT NULL AS present`)
      .then(async ({ rows }) =>
        rows[0].present
          ? (await pool.query<{ name: string; cron: string }>('SELECT name, cron FROM pgboss.schedule')).rows
          : [],
      ),
    pool.query<{ key: string; value: { cron: string | null } }>(
      `SELECT key, value FROM setting WHERE key LIKE 'schedule.%'`,
    ),
  ]);
  const cronOf = new Map<string, string | null>(ALL_QUEUES.map((queue) => [queue.name, queue.defaultCron]));
  for (const setting of settings.rows) cronOf.set(setting.key.slice('schedule.'.length), setting.value?.cron ?? null);
  for (const schedule of schedules) cronOf.set(schedule.name, schedule.cron);
  const now = Date.now();
  const result = feeds.rows.map((row): RelayFeedStatus => {
    const queue = DEFAULT_FEEDS.find((feed) => feed.name === row.name)?.queue ?? null;
    const cron = queue ? (cronOf.get(queue) ?? null) : null;
    let nextRunAt: string | null = null;
    if (cron && row.enabled) {
      try {
        nextRunAt = nextRuns(cron, 1)[0]?.toISOString() ?? null;
      } catch {
        nextRunAt = null;
      }
    }
    return {
      name: row.name,
      format: row.format,
      url: row.url,
      enabled: row.enabled,
      lastFetchAt: row.last_fetch_at?.toISOString() ?? null,
      lastSuccessAt: row.last_success_at?.toISOString() ?? null,
      lastStatus: row.last_status,
      // The error may quote what a feed URL answered: analysts and admins read it, viewers see that it failed.
      lastError: row.last_error && !hasRole(actor, 'analyst') ? 'the last fetch failed' : row.last_error,
      snapshot: row.snapshot_id
        ? {
            id: row.snapshot_id,
            observedAt: row.observed_at.toISOString(),
            relays: row.relay_count,
            addresses: row.address_count,
            rejected: row.rejected_count,
            forced: row.forced,
          }
        : null,
      ageHours: row.observed_at ? Math.round(((now - row.observed_at.getTime()) / 3_600_000) * 10) / 10 : null,
      queue,
      cron,
      nextRunAt,
    };
  });
  const newest = (await pool.query<{ at: Date | null }>('SELECT max(observed_at) AS at FROM relay_snapshot')).rows[0]
    .at;
  return {
    feeds: result,
    newestObservedAt: newest?.toISOString() ?? null,
    newestAgeHours: newest ? (now - newest.getTime()) / 3_600_000 : null,
    stale: !newest || now - newest.getTime() > RELAY_DATA_STALE_HOURS * 3_600_000,
    canUpload: hasRole(actor, 'analyst'),
  };
}
