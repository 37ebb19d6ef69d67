import { requirePageRole } from '@/lib/auth/guard';
import { hasRole } from '@/lib/auth/roles';
import { HitFilterError, parseHitFilter, serialiseHitFilter, type HitFilter } from '@/lib/hits/filters';
import { bucketFor, describeRange, nextBucket } from '@/lib/time/ranges';
import { getOverviewHeadline } from '@/lib/queries/getOverviewHeadline';
import { getHitTrend } from '@/lib/queries/getHitTrend';
import { getHitBreakdowns, type BreakdownDimension, type HitBreakdown } from '@/lib/queries/getHitBreakdown';
import { getDataFreshness } from '@/lib/queries/getDataFreshness';
import { getTriageSummary } from '@/lib/queries/getTriageSummary';
import { TriageSummaryCard } from '@/components/triage/TriageSummaryCard';
import { getEpisodeSummary } from '@/lib/queries/getEpisodeSummary';
import { EpisodeSummaryCard } from '@/components/episodes/EpisodeSummaryCard';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { RangePicker } from '@/components/filters/RangePicker';
import { HeadlineFigures } from '@/components/overview/HeadlineFigures';
import { FreshnessPanel } from '@/components/overview/FreshnessPanel';
import { DemoLoader } from '@/components/overview/DemoLoader';
import { TrendChart } from '@/components/charts/TrendChart';
import { BreakdownChart, type BreakdownBar } from '@/components/charts/BreakdownChart';
import { ChartExportButtons } from '@/components/charts/ChartExportButtons';
import { trendCsv } from '@/lib/charts/trendCsv';
import { countryName } from '@/components/hits/countryName';
import { StalledConnectorsBanner } from '@/components/connectors/StalledConnectorsBanner';
import { getKpiReport } from '@/lib/queries/getKpiReport';
import { HEADLINE_KPIS } from '@/lib/kpis/definitions';
import { bucketNote } from '@/lib/kpis/kpiCharts';
import { isTimeZone } from '@/lib/time/zones';
import { KpiCards } from '@/components/kpis/KpiCards';
import Link from 'next/link';
import { backfillRelayHistoryAction, loadDemoAction } from './actions';
import { getRelayHistoryCoverage } from '@/lib/queries/getRelayHistoryCoverage';
import { RelayHistoryCoverage } from '@/components/overview/RelayHistoryCoverage';

export const metadata = { title: 'Overview' };

const BREAKDOWNS: Array<{ dimension: BreakdownDimension; title: string; param: string }> = [
  { dimension: 'country', title: 'By relay country', param: 'country' },
  { dimension: 'process', title: 'By process', param: 'process' },
  { dimension: 'device', title: 'By device', param: 'device' },
  { dimension: 'action', title: 'By action type', param: 'action' },
  { dimension: 'direction', title: 'By direction', param: 'direction' },
];

function bars(breakdown: HitBreakdown, param: string, base: string): BreakdownBar[] {
  return breakdown.entries.map((entry) => ({
    label:
      breakdown.dimension === 'country'
        ? entry.key === '-'
          ? '(unknown)'
          : `${entry.key.toUpperCase()} ${countryName(entry.key)}`
        : entry.label,
    hits: entry.hits,
    devices: entry.devices,
    href:
      entry.key === ''
        ? null
        : `/hits?${[base, `${param}=${encodeURIComponent(entry.key)}`].filter(Boolean).join('&')}`,
  }));
}

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole('viewer');
  const params = await searchParams;
  let filter: HitFilter;
  try {
    filter = parseHitFilter(params);
  } catch (error) {
    return (
      <EmptyState
        title="This link's filter is not valid"
        action={{ href: '/overview', label: 'Show the last 30 days' }}
      >
        <span role="alert">{error instanceof HitFilterError ? error.message : String(error)}</span>
      </EmptyState>
    );
  }
  const bucket = bucketFor(filter.range);
  // Buckets are cut in the zone the viewer reads (RangePicker names the browser's zone with "Local time").
  const zoneParam = typeof params.zone === 'string' ? params.zone : '';
  const zone = filter.tz === 'local' && isTimeZone(zoneParam) ? zoneParam : 'UTC';
  const [headline, trend, freshness, triage, breakdowns, kpis, episodeSummary] = await Promise.all([
    getOverviewHeadline(actor, filter),
    getHitTrend(actor, filter, bucket, zone),
    getDataFreshness(actor),
    getTriageSummary(actor, filter),
    getHitBreakdowns(
      actor,
      filter,
      BREAKDOWNS.map((b) => b.dimension),
      10,
    ),
    // The managers' KPIs, from the same read model as /trends, the report and the e-mail (issue 17).
    getKpiReport(actor, { filter, bucket: 'week', months: 3, zone }),
    getEpisodeSummary(actor, filter),
  ]);
  const base = serialiseHitFilter(filter).toString();
  const rangeParams = (from: Date, to: Date) => {
    const p = serialiseHitFilter({ ...filter, range: { kind: 'custom', from, to } });
    return `/hits?${p}`;
  };
  const canLoadDemo = hasRole(actor, 'analyst');
  const empty = freshness.events === 0 && headline.current.hits === 0 && headline.previous.hits === 0;
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Tor contact across the fleet, ${describeRange(filter.range)}: how much, where, and the trend.`}
      />
      <StalledConnectorsBanner linkToSettings={hasRole(actor, 'admin')} />
      <div className="mb-4">
        <RangePicker
          range={filter.range.kind}
          from={filter.range.kind === 'custom' ? filter.range.from.toISOString() : undefined}
          to={filter.range.kind === 'custom' ? filter.range.to.toISOString() : undefined}
          tz={filter.tz}
        />
      </div>
      {empty ? (
        <EmptyState title="No telemetry yet" action={{ href: '/ingest', label: 'Upload telemetry' }}>
          <p>
            TorWatch needs relay data and device telemetry: import a relay list on the Relays page, then upload Defender
            or Zeek files on the Ingest page; matches appear here within minutes.
          </p>
          {canLoadDemo ? (
            <DemoLoader action={loadDemoAction} />
          ) : (
            <p className="mt-2">An analyst or admin can load a demo dataset to try TorWatch out.</p>
          )}
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          <HeadlineFigures headline={headline} hitsQuery={base} />
          <div>
            <KpiCards title="Key figures" kpis={HEADLINE_KPIS.map((k) => kpis.kpis[k])} sparkNote={bucketNote(kpis)} />
            <p className="mt-1 text-xs text-slate-500">
              Sparklines: {bucketNote(kpis)}.{' '}
              <Link href="/trends" className="text-violet-700 underline dark:text-violet-400">
                All trends, the map and the report
              </Link>
            </p>
          </div>
          <TriageSummaryCard summary={triage} hitsQuery={base} />
          <EpisodeSummaryCard summary={episodeSummary} query={base} />
          <section
            data-chart-card
            aria-label="Trend"
            className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="mb-2 flex items-start justify-between gap-2">
              <h3 className="font-medium">Hits and distinct devices per {bucket}</h3>
              <ChartExportButtons name={`hits-per-${bucket}`} csv={trendCsv(trend.points, bucket, trend.zone)} />
            </div>
            <TrendChart
              bucket={bucket}
              tz={filter.tz}
              zone={trend.zone}
              points={trend.points.map((p) => ({
                ...p,
                href: rangeParams(new Date(p.bucket), nextBucket(new Date(p.bucket), bucket)),
              }))}
            />
          </section>
          <div className="grid gap-4 lg:grid-cols-2">
            {BREAKDOWNS.map((b, i) => (
              <BreakdownChart
                key={b.dimension}
                title={b.title}
                bars={bars(breakdowns[i], b.param, base)}
                otherHits={breakdowns[i].otherHits}
                colourIndex={i}
              />
            ))}
          </div>
          <RelayHistoryCoverage
            coverage={await getRelayHistoryCoverage(actor)}
            canBackfill={hasRole(actor, 'admin')}
            action={backfillRelayHistoryAction}
          />
          <FreshnessPanel freshness={freshness} tz={filter.tz} />
        </div>
      )}
    </>
  );
}
