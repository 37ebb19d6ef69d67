import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
import { episodeFilterSql } from '@/lib/episodes/episodeFilterSql';
import {
  KPI_DEFINITIONS,
  KPI_KEYS,
  type KpiBucket,
  type KpiDefinition,
  type KpiKey,
  type KpiSpan,
} from '@/lib/kpis/definitions';
import { processGroupSql } from '@/lib/kpis/processGroups';
import { previousPeriod, type TimeRange } from '@/lib/time/ranges';
import { queryRows } from './hitRowSql';
import { authoriseQuery } from '@/lib/auth/authorise';
import { getPool } from '@/lib/db/pool';

// The managers' KPIs (issue 17): ONE read model behind the Overview's KPI strip, the Trends page, the printable
// report and the e-mail, so their numbers agree (docs/architecture.md §8.1). Every figure is computed for the period,
// the previous period of equal length, and each week/month bucket of the trailing 3/6/12 months — buckets cut by
// PostgreSQL in the viewer's IANA zone (DST-aware), never in UTC when another zone is asked for.

export interface KpiRequest {
  filter: HitFilter; // the period is filter.range; other filters narrow every figure alike
  bucket: KpiBucket;
  months: KpiSpan;
  zone: string; // IANA name, validated by the caller (lib/time/zones.ts)
}

export interface KpiValue extends KpiDefinition {
  current: number | null;
  previous: number | null;
  series: Array<number | null>; // one per bucket, aligned with KpiReport.buckets
}

export interface KpiReport {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  zone: string;
  bucket: KpiBucket;
  months: KpiSpan;
  buckets: string[]; // ISO start of each bucket (the last one ends at the period's end)
  kpis: Record<KpiKey, KpiValue>;
}

interface Aggregate {
  win: string;
  hits: number;
  devices: number;
  new_devices: number;
  high: number;
  medium: number;
  low: number;
  exits: number;
  tor_browser: number;
  tor_daemon: number;
  other_browser: number;
  other: number;
  open: number;
  triaged: number;
  true_positive: number;
  triage_seconds: number | null;
}

interface EpisodeAggregate {
  win: string;
  episodes: number;
  new_episodes: number;
  open_episodes: number;
}

/**
 * One KPI statement on its own pool connection (so the report's statements run in parallel), with JIT off and room
 * to hash (docs/architecture.md §8.5.1). The planner's estimates for these aggregations grow with the data and are
 * rough — grouping by `ts`-derived buckets looks like one group per hit — so they cross the JIT thresholds, and
 * compiling then takes longer (over a second on a busy machine) than the statement does without it (the match run
 * turns JIT off too); and at the default 4 MB work_mem that estimate makes PostgreSQL sort 50 k hits on disk rather
 * than hash them into the few hundred groups there are. 32 MB is a ceiling, not an allocation. random_page_cost 1.1
 * (the usual value for data in memory or on SSD) lets it read the covering indexes (hit_kpi_idx, episode_kpi_idx)
 * rather than the whole wide tables when a span covers most rows: at the default 4 it costed the index-only scan a
 * little above the sequential one, which took four times as long on the bench data.
 */
async function kpiRows<T>(sql: Prisma.Sql): Promise<T[]> {
  const client = await getPool().connect();
  let broken: Error | undefined;
  try {
    await client.query(
      "BEGIN READ ONLY; SET LOCAL jit = off; SET LOCAL work_mem = '32MB'; SET LOCAL random_page_cost = 1.1",
    );
    const { rows } = await client.query(sql.text, sql.values as unknown[]);
    await client.query('COMMIT');
    return rows as T[];
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The aggregates of one window as KPI values (null where a ratio has no denominator). */
function figures(a: Aggregate | undefined, e: EpisodeAggregate | undefined): Record<KpiKey, number | null> {
  const n = (v: number | undefined) => v ?? 0;
  const hits = n(a?.hits);
  const triaged = n(a?.triaged);
  return {
    devices: n(a?.devices),
    newDevices: n(a?.new_devices),
    hits,
    hitsHigh: n(a?.high),
    hitsMedium: n(a?.medium),
    hitsLow: n(a?.low),
    exitShare: hits ? round1((n(a?.exits) / hits) * 100) : null,
    procTorBrowser: n(a?.tor_browser),
    procTorDaemon: n(a?.tor_daemon),
    procOtherBrowser: n(a?.other_browser),
    procOther: n(a?.other),
    open: n(a?.open),
    triaged,
    meanTimeToTriageHours: a?.triage_seconds == null ? null : round1(a.triage_seconds / 3600),
    truePositiveRate: triaged ? round1((n(a?.true_positive) / triaged) * 100) : null,
    episodes: n(e?.episodes),
    newEpisodes: n(e?.new_episodes),
    openEpisodes: n(e?.open_episodes),
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Episodes per window (issue 18): active in it (first seen before its end, last seen at or after its start), begun
 * in it, and of those active the ones still open. The episodes filter is the Episodes page's (episodeFilterSql) over
 * the whole span. One pass over the episodes groups them by the buckets of their first and last hit (width_bucket on
 * the sorted bucket starts; 0 = before the first bucket) with the period and previous-period counts alongside. The
 * episodes active in bucket i are those begun in a bucket up to i less those ended before i: running sums over the
 * buckets (windows `b1`…`bN`), not a generate_series per pair — the planner estimated 1000 buckets for each of what
 * it took for one pair per episode, and the query's cost crossed the JIT thresholds (1.6 s of compiling on 50 k
 * episodes; docs/architecture.md §8.5.1).
 */
async function episodeAggregates(
  filter: HitFilter,
  span: { from: Date; to: Date },
  previous: TimeRange,
  starts: string[], // the bucket starts, ISO, sorted and never empty
): Promise<EpisodeAggregate[]> {
  const period = filter.range;
  const where = episodeFilterSql({ ...filter, range: { kind: 'custom', ...span } });
  const active = (from: Date, to: Date) => Prisma.sql`episode.last_seen >= ${from} AND episode.first_seen < ${to}`;
  const open = Prisma.sql`episode.status IN ('new', 'investigating')`;
  return kpiRows<EpisodeAggregate>(Prisma.sql`
    WITH pairs AS MATERIALIZED (
      SELECT width_bucket(episode.first_seen, ${starts}::timestamptz[]) AS lo,
        width_bucket(episode.last_seen, ${starts}::timestamptz[]) AS hi,
        count(*) AS n, count(*) FILTER (WHERE ${open}) AS n_open,
        count(*) FILTER (WHERE ${active(period.from, period.to)}) AS cur,
        count(*) FILTER (WHERE ${active(period.from, period.to)} AND episode.first_seen >= ${period.from}) AS cur_new,
        count(*) FILTER (WHERE ${active(period.from, period.to)} AND ${open}) AS cur_open,
        count(*) FILTER (WHERE ${active(previous.from, previous.to)}) AS prev,
        count(*) FILTER (WHERE ${active(previous.from, previous.to)} AND episode.first_seen >= ${previous.from}) AS prev_new,
        count(*) FILTER (WHERE ${active(previous.from, previous.to)} AND ${open}) AS prev_open
      FROM episode WHERE ${where} AND episode.first_seen < ${period.to} GROUP BY 1, 2),
    edges AS (
      SELECT lo AS i, n AS began, n_open AS began_open, 0::bigint AS ended, 0::bigint AS ended_open FROM pairs
      UNION ALL
      SELECT hi, 0, 0, n, n_open FROM pairs),
    per_bucket AS (
      SELECT i, sum(began) AS began, sum(began_open) AS began_open, sum(ended) AS ended, sum(ended_open) AS ended_open
      FROM edges GROUP BY i),
    running AS (
      SELECT g.i, COALESCE(p.began, 0) AS began,
        sum(COALESCE(p.began, 0) - COALESCE(p.ended, 0)) OVER w + COALESCE(p.ended, 0) AS active,
        sum(COALESCE(p.began_open, 0) - COALESCE(p.ended_open, 0)) OVER w + COALESCE(p.ended_open, 0) AS active_open
      FROM generate_series(0, ${starts.length}::int) AS g(i) LEFT JOIN per_bucket p USING (i)
      WINDOW w AS (ORDER BY g.i))
    SELECT 'current' AS win, sum(cur)::int AS episodes, sum(cur_new)::int AS new_episodes,
      sum(cur_open)::int AS open_episodes FROM pairs
    UNION ALL
    SELECT 'previous', sum(prev)::int, sum(prev_new)::int, sum(prev_open)::int FROM pairs
    UNION ALL
    SELECT 'b' || i, active::int, began::int, active_open::int FROM running WHERE i >= 1`);
}

/** The span the hit KPIs read: [lo, period.to), the bucket starts, the period and the previous period. */
interface HitSpan {
  lo: Date;
  starts: string[]; // ISO, sorted, never empty
  period: TimeRange;
  previous: TimeRange;
}

/**
 * Where a hit falls (docs/architecture.md §8.5.1), placed by comparison: its bucket `b` by binary search over the
 * bucket starts PostgreSQL cut in the zone (width_bucket; 0 = before the first) and its segment `seg` (1 = the
 * period, 2 = the previous period, 0 = neither).
 */
function placement({ starts, period, previous }: HitSpan): Prisma.Sql {
  return Prisma.sql`width_bucket(ts, ${starts}::timestamptz[]) AS b,
    CASE WHEN ts >= ${period.from} THEN 1 WHEN ts >= ${previous.from} AND ts < ${previous.to} THEN 2 ELSE 0 END AS seg`;
}

/** The windows of a (b, seg) cell: its bucket `b<i>`, and `current` or `previous` by segment (0s dropped). */
const windowsOfCell = Prisma.sql`CROSS JOIN LATERAL (VALUES (CASE WHEN b > 0 THEN 'b' || b END),
  (CASE seg WHEN 1 THEN 'current' WHEN 2 THEN 'previous' END)) AS w(win) WHERE win IS NOT NULL`;

type HitCounts = Omit<Aggregate, 'devices' | 'new_devices'>;

/**
 * Hit counts per window, one pass: the hits of the span are counted per (bucket, segment, process file, process
 * folder) in one hash aggregation with small integer states — a few hundred cells; the process group (three
 * ILIKEs, two array lookups) is classified per cell, not per hit; cells are summed per window. No device in the
 * key: distinct devices are deviceCounts' (run in parallel on another connection).
 */
function hitCounts(where: Prisma.Sql, span: HitSpan): Promise<HitCounts[]> {
  return kpiRows<HitCounts>(Prisma.sql`
    WITH cells AS (
      SELECT ${placement(span)}, process_file_name, process_folder_path, count(*) AS hits,
        count(*) FILTER (WHERE confidence = 'high') AS high,
        count(*) FILTER (WHERE confidence = 'medium') AS medium,
        count(*) FILTER (WHERE confidence = 'low') AS low,
        count(*) FILTER (WHERE is_exit) AS exits,
        count(*) FILTER (WHERE status IN ('new', 'investigating')) AS open,
        count(*) FILTER (WHERE status IN ('true_positive', 'benign')) AS triaged,
        count(*) FILTER (WHERE status = 'true_positive') AS true_positive,
        sum(greatest(0, extract(epoch FROM triaged_at - first_matched_at)))
          FILTER (WHERE status IN ('true_positive', 'benign') AND triaged_at IS NOT NULL) AS triage_sum,
        count(*) FILTER (WHERE status IN ('true_positive', 'benign') AND triaged_at IS NOT NULL) AS triage_n
      FROM hit WHERE ${where} AND ts >= ${span.lo} AND ts < ${span.period.to}
      GROUP BY 1, 2, 3, 4),
    classified AS (SELECT *, ${processGroupSql} AS pgroup FROM cells)
    SELECT win, sum(hits)::int AS hits, sum(high)::int AS high, sum(medium)::int AS medium, sum(low)::int AS low,
      sum(exits)::int AS exits,
      COALESCE(sum(hits) FILTER (WHERE pgroup = 'torBrowser'), 0)::int AS tor_browser,
      COALESCE(sum(hits) FILTER (WHERE pgroup = 'torDaemon'), 0)::int AS tor_daemon,
      COALESCE(sum(hits) FILTER (WHERE pgroup = 'otherBrowser'), 0)::int AS other_browser,
      COALESCE(sum(hits) FILTER (WHERE pgroup = 'other'), 0)::int AS other,
      sum(open)::int AS open, sum(triaged)::int AS triaged, sum(true_positive)::int AS true_positive,
      (sum(triage_sum) / nullif(sum(triage_n), 0))::float8 AS triage_seconds
    FROM classified ${windowsOfCell}
    GROUP BY win`);
}

/**
 * Distinct and new devices per window. The hits of the span are reduced to their (device, bucket) cells — the
 * earliest hit and whether the device has hits in the period and in the previous period — in one hash aggregation
 * with small states; a bucket's devices are a count of its cells, a segment's a count of devices, never the sorts of
 * count(DISTINCT …). A device is new in a window when its first hit ever is in it: a device with a hit before the span
 * is never new (a hashed probe of the hits before the span); otherwise its first hit ever is the earliest of the span,
 * so it is new in exactly the bucket of that hit (its first cell) and in the segment that holds it — no join of
 * windows with first hits.
 */
function deviceCounts(
  where: Prisma.Sql,
  span: HitSpan,
): Promise<Array<{ win: string; devices: number; new_devices: number }>> {
  const { lo, starts, period, previous } = span;
  return kpiRows(Prisma.sql`
    WITH cells AS MATERIALIZED (
      SELECT device_id, width_bucket(ts, ${starts}::timestamptz[]) AS b, min(ts) AS first_in_cell,
        bool_or(ts >= ${period.from}) AS in_current, bool_or(ts >= ${previous.from} AND ts < ${previous.to}) AS in_previous
      FROM hit WHERE ${where} AND ts >= ${lo} AND ts < ${period.to}
      GROUP BY 1, 2),
    devices AS MATERIALIZED (
      SELECT device_id, min(b) AS first_b, min(first_in_cell) AS first_ts, bool_or(in_current) AS in_current,
        bool_or(in_previous) AS in_previous,
        EXISTS (SELECT 1 FROM hit WHERE hit.device_id = cells.device_id AND ${where} AND ts < ${lo}) AS seen_before
      FROM cells GROUP BY device_id)
    SELECT 'b' || c.b AS win, c.devices::int, COALESCE(n.new_devices, 0)::int AS new_devices
    FROM (SELECT b, count(*) AS devices FROM cells WHERE b > 0 GROUP BY b) c
    LEFT JOIN (SELECT first_b, count(*) AS new_devices FROM devices WHERE NOT seen_before GROUP BY first_b) n
      ON n.first_b = c.b
    UNION ALL
    SELECT 'current', count(*) FILTER (WHERE in_current)::int,
      count(*) FILTER (WHERE in_current AND NOT seen_before AND first_ts >= ${period.from})::int FROM devices
    UNION ALL
    SELECT 'previous', count(*) FILTER (WHERE in_previous)::int,
      count(*) FILTER (WHERE in_previous AND NOT seen_before AND first_ts >= ${previous.from})::int FROM devices`);
}

/** KPIs for a period, its previous period and the trailing buckets. Viewer role (or a read token). */
export async function getKpiReport(actor: Actor, request: KpiRequest): Promise<KpiReport> {
  authoriseQuery(actor, 'viewer');
  const { filter, bucket, months, zone } = request;
  const period: TimeRange = filter.range;
  const previous = previousPeriod(period);
  const unit = Prisma.raw(`'${bucket}'`); // from the KPI_BUCKETS allowlist
  const spanStart = new Date(period.to.getTime());
  spanStart.setUTCMonth(spanStart.getUTCMonth() - months);
  const bucketRows = await queryRows<{ start: Date }>(Prisma.sql`
    SELECT (g AT TIME ZONE ${zone}) AS start
    FROM generate_series(date_trunc(${unit}, ${spanStart}::timestamptz, ${zone}) AT TIME ZONE ${zone},
                         (${period.to}::timestamptz - interval '1 microsecond') AT TIME ZONE ${zone},
                         ('1 ' || ${unit})::interval) AS g
    ORDER BY 1`);
  const buckets = bucketRows.map((r) => r.start);
  const seriesFrom = buckets[0] ?? previous.from;
  const lo = new Date(Math.min(seriesFrom.getTime(), previous.from.getTime()));
  const where = hitFilterSql(filter, { withoutRange: true });
  // width_bucket needs a non-empty array; [period.to] puts every hit of the span in "before the first bucket" (0).
  const starts = buckets.length ? buckets.map((b) => b.toISOString()) : [period.to.toISOString()];
  const span = { lo, starts, period, previous };
  const [counts, devices, episodeRows] = await Promise.all([
    hitCounts(where, span),
    deviceCounts(where, span),
    episodeAggregates(filter, { from: lo, to: period.to }, previous, starts),
  ]);
  const devicesByWindow = new Map(devices.map((r) => [r.win, r]));
  const rows: Aggregate[] = counts.map((c) => ({ ...c, devices: 0, new_devices: 0, ...devicesByWindow.get(c.win) }));
  const byWindow = new Map(rows.map((r) => [r.win, r]));
  const episodesByWindow = new Map(episodeRows.map((r) => [r.win, r]));
  const current = figures(byWindow.get('current'), episodesByWindow.get('current'));
  const before = figures(byWindow.get('previous'), episodesByWindow.get('previous'));
  const perBucket = buckets.map((_, i) => figures(byWindow.get(`b${i + 1}`), episodesByWindow.get(`b${i + 1}`)));
  const kpis = Object.fromEntries(
    KPI_KEYS.map((key) => [
      key,
      {
        ...KPI_DEFINITIONS[key],
        current: current[key],
        previous: before[key],
        series: perBucket.map((f) => f[key]),
      },
    ]),
  ) as Record<KpiKey, KpiValue>;
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    previous: { from: previous.from.toISOString(), to: previous.to.toISOString() },
    zone,
    bucket,
    months,
    buckets: buckets.map((b) => b.toISOString()),
    kpis,
  };
}
