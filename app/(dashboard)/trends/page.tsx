import Link from 'next/link';
import { requirePageRole } from '@/lib/auth/guard';
import { KPI_SECTIONS } from '@/lib/kpis/definitions';
import { bucketNote, kpiCharts } from '@/lib/kpis/kpiCharts';
import { kpiQuery, parseKpiParams } from '@/lib/kpis/kpiParams';
import { loadTrends } from '@/lib/kpis/loadTrends';
import { describeRange } from '@/lib/time/ranges';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { KpiCards } from '@/components/kpis/KpiCards';
import { KpiControls } from '@/components/kpis/KpiControls';
import { SvgChartCard } from '@/components/charts/SvgChartCard';
import { WorldMap } from '@/components/map/WorldMap';

export const metadata = { title: 'Trends' };

// The managers' page (issue 17): KPIs against the previous period with sparklines, their weekly/monthly trend in the
// viewer's zone, and the world map. Any signed-in viewer; every key of the query string is optional.
export default async function TrendsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole('viewer');
  const raw = await searchParams;
  let params;
  try {
    params = parseKpiParams(raw);
  } catch (error) {
    return (
      <EmptyState title="This link's settings are not valid" action={{ href: '/trends', label: 'Show the defaults' }}>
        <span role="alert">{error instanceof Error ? error.message : String(error)}</span>
      </EmptyState>
    );
  }
  const measure = raw.map === 'devices' ? 'devices' : 'hits';
  const { report, countries, hitsQuery } = await loadTrends(actor, params);
  const query = (override: Record<string, string>) =>
    kpiQuery(params, { ...(measure === 'devices' ? { map: 'devices' } : {}), ...override });
  const period = describeRange(params.filter.range);
  const note = bucketNote(report);
  const charts = kpiCharts(report);
  return (
    <>
      <PageHeader
        title="Trends"
        description={`Is Tor use in the fleet going up, where does it go, and are we handling it? Figures for the ${period}, each against the ${params.filter.range.kind === 'custom' ? 'previous period of equal length' : `${period.replace('last', 'previous')}`}.`}
        actions={
          <Link
            href={`/reports?${kpiQuery(params)}`}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Printable report
          </Link>
        }
      />
      <div className="mb-4">
        <KpiControls
          path="/trends"
          query={query}
          period={params.filter.range.kind}
          bucket={params.bucket}
          months={params.months}
          zone={params.zone}
        />
      </div>
      <div className="flex flex-col gap-6">
        {KPI_SECTIONS.map((section) => (
          <KpiCards
            key={section.title}
            title={section.title}
            kpis={section.keys.map((k) => report.kpis[k])}
            sparkNote={note}
          />
        ))}
        <p className="text-xs text-slate-500" data-testid="zone-note">
          Sparklines and charts: {note}.
        </p>
        <WorldMap
          counts={countries}
          measure={measure}
          periodLabel={period}
          hitsHref={(country) => `/hits?${[hitsQuery, `country=${country}`].filter(Boolean).join('&')}`}
          switchHref={(m) => `/trends?${kpiQuery(params, m === 'devices' ? { map: 'devices' } : {})}`}
        />
        <div className="grid gap-4 xl:grid-cols-2">
          {charts.map((c) => (
            <SvgChartCard key={c.id} id={c.id} title={c.title} description={c.description} svg={c.svg} csv={c.csv} />
          ))}
        </div>
      </div>
    </>
  );
}
