import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Actor } from '@/lib/auth/roles';
import { type HitFilter } from '@/lib/hits/filters';
import { hitFilterSql } from '@/lib/hits/hitFilterSql';
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

/** The aggregates of one window as KPI values (null where a ratio has no denominator). */
function figures(a: Aggregate | undefined): Record<KpiKey, number | null> {
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
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

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
  // One scan of the whole span into a materialised set, then every window aggregated from it: the period, the
  // previous period, and each bucket (rows are repeated once per window they fall in — at most three). Counts are
  // summed per (window, device) first and per window after: distinct devices by hash aggregation, not the sorts of
  // count(DISTINCT …) (the same trick as getOverviewHeadline).
  const rows = await queryRows<Aggregate>(Prisma.sql`
    WITH f AS MATERIALIZED (
      SELECT ts, device_id, confidence, is_exit, status, triaged_at, first_matched_at, ${processGroupSql} AS pgroup,
             date_trunc(${unit}, ts, ${zone}) AS b
      FROM hit WHERE ${where} AND ts >= ${lo} AND ts < ${period.to}),
    firsts AS MATERIALIZED (
      SELECT device_id, min(ts) AS first_ts FROM hit
      WHERE ${where} AND device_id IN (SELECT DISTINCT device_id FROM f) GROUP BY device_id),
    w AS (
      SELECT 'current' AS win, ${period.from}::timestamptz AS win_from, f.* FROM f WHERE ts >= ${period.from}
      UNION ALL
      SELECT 'previous', ${previous.from}::timestamptz, f.* FROM f WHERE ts >= ${previous.from} AND ts < ${previous.to}
      UNION ALL
      SELECT 'b' || extract(epoch FROM b)::bigint, b, f.* FROM f WHERE ts >= ${seriesFrom}),
    per_device AS (
      SELECT win, win_from, device_id, count(*) AS hits,
        count(*) FILTER (WHERE confidence = 'high') AS high,
        count(*) FILTER (WHERE confidence = 'medium') AS medium,
        count(*) FILTER (WHERE confidence = 'low') AS low,
        count(*) FILTER (WHERE is_exit) AS exits,
        count(*) FILTER (WHERE pgroup = 'torBrowser') AS tor_browser,
        count(*) FILTER (WHERE pgroup = 'torDaemon') AS tor_daemon,
        count(*) FILTER (WHERE pgroup = 'otherBrowser') AS other_browser,
        count(*) FILTER (WHERE pgroup = 'other') AS other,
        count(*) FILTER (WHERE status IN ('new', 'investigating')) AS open,
        count(*) FILTER (WHERE status IN ('true_positive', 'benign')) AS triaged,
        count(*) FILTER (WHERE status = 'true_positive') AS true_positive,
        sum(greatest(0, extract(epoch FROM triaged_at - first_matched_at)))
          FILTER (WHERE status IN ('true_positive', 'benign') AND triaged_at IS NOT NULL) AS triage_sum,
        count(*) FILTER (WHERE status IN ('true_positive', 'benign') AND triaged_at IS NOT NULL) AS triage_n
      FROM w GROUP BY win, win_from, device_id)
    SELECT win, sum(hits)::int AS hits, count(*)::int AS devices,
      count(*) FILTER (WHERE firsts.first_ts >= per_device.win_from)::int AS new_devices,
      sum(high)::int AS high, sum(medium)::int AS medium, sum(low)::int AS low, sum(exits)::int AS exits,
      sum(tor_browser)::int AS tor_browser, sum(tor_daemon)::int AS tor_daemon,
      sum(other_browser)::int AS other_browser, sum(other)::int AS other,
      sum(open)::int AS open, sum(triaged)::int AS triaged, sum(true_positive)::int AS true_positive,
      (sum(triage_sum) / nullif(sum(triage_n), 0))::float8 AS triage_seconds
    FROM per_device JOIN firsts USING (device_id)
    GROUP BY win`);
  const byWindow = new Map(rows.map((r) => [r.win, r]));
  const current = figures(byWindow.get('current'));
  const before = figures(byWindow.get('previous'));
  const perBucket = buckets.map((start) => figures(byWindow.get(`b${Math.round(start.getTime() / 1000)}`)));
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
