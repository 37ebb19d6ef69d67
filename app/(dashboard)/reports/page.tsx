import { requirePageRole, type Actor } from '@/lib/auth/guard';
import { env } from '@/lib/env';
import { hasSecret } from '@/lib/secrets/secretStore';
import { listReportDeliveries, loadReportSchedule } from '@/lib/reports/reportSchedule';
import { loadStoredSmtpSettings, SMTP_PASSWORD_SECRET } from '@/lib/reports/smtpSettings';
import { ReportAdmin } from '@/components/reports/ReportAdmin';
import { DeliveryLog } from '@/components/reports/DeliveryLog';
import { saveScheduleAction, saveSmtpAction, sendNowAction } from './actions';
import { hasRole } from '@/lib/auth/roles';
import { kpiCharts } from '@/lib/kpis/kpiCharts';
import { kpiQuery, parseKpiParams } from '@/lib/kpis/kpiParams';
import { loadTrends } from '@/lib/kpis/loadTrends';
import { describeRange } from '@/lib/time/ranges';
import { formatZoned } from '@/lib/time/zones';
import { EmptyState } from '@/components/layout/EmptyState';
import { KpiControls } from '@/components/kpis/KpiControls';
import { KpiTable } from '@/components/kpis/KpiTable';
import { PrintButton } from '@/components/kpis/PrintButton';
import { SvgChartCard } from '@/components/charts/SvgChartCard';
import { WorldMap } from '@/components/map/WorldMap';

export const metadata = { title: 'Report' };

async function AdminSection({ actor }: { actor: Actor }) {
  const [smtp, hasPassword, schedule, deliveries] = await Promise.all([
    loadStoredSmtpSettings(),
    hasSecret(SMTP_PASSWORD_SECRET),
    loadReportSchedule(),
    listReportDeliveries(actor),
  ]);
  return (
    <section aria-label="E-mail the report" className="mt-6 flex flex-col gap-4 print:hidden" id="schedule">
      <ReportAdmin
        smtp={smtp}
        hasPassword={hasPassword}
        smtpFromEnv={Boolean(env('TORWATCH_SMTP_URL'))}
        schedule={schedule}
        saveSmtp={saveSmtpAction}
        saveSchedule={saveScheduleAction}
        sendNow={sendNowAction}
      />
      <DeliveryLog entries={deliveries} />
    </section>
  );
}

// The weekly report (issue 17): a one-page summary of a chosen period, laid out for A4 print ("Save as PDF" in the
// browser). The same KPI read model as the Trends page and the e-mail, so the numbers agree. Any viewer reads it;
// the e-mail schedule below it is for admins.
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole('viewer');
  let params;
  try {
    params = parseKpiParams(await searchParams, new Date(), '7d');
  } catch (error) {
    return (
      <EmptyState title="This link's settings are not valid" action={{ href: '/reports', label: 'Show the defaults' }}>
        <span role="alert">{error instanceof Error ? error.message : String(error)}</span>
      </EmptyState>
    );
  }
  const { report, countries, hitsQuery } = await loadTrends(actor, params);
  const charts = kpiCharts(report, { width: 520, height: 210 }).filter((c) => ['reach', 'processes'].includes(c.id));
  const period = describeRange(params.filter.range);
  return (
    <div className="report mx-auto max-w-5xl">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3 print:hidden">
        <KpiControls
          path="/reports"
          query={(o) => kpiQuery(params, o)}
          period={params.filter.range.kind}
          bucket={params.bucket}
          months={params.months}
          zone={params.zone}
        />
        <PrintButton />
      </div>
      <article
        className="rounded-lg border border-slate-200 bg-white p-6 text-slate-900 print:border-0 print:p-0"
        data-testid="report"
      >
        <header className="mb-3 flex items-end justify-between border-b-2 border-violet-700 pb-2">
          <div>
            <h1 className="text-xl font-semibold">TorWatch report — {period}</h1>
            <p className="text-xs text-slate-600">
              {formatZoned(params.filter.range.from, params.zone)} – {formatZoned(params.filter.range.to, params.zone)}{' '}
              ({params.zone}), compared with the period of equal length before it. Event times of hits; suppressed hits
              and withdrawn evidence left out.
            </p>
          </div>
          <p className="text-right text-xs text-slate-500">Generated {formatZoned(new Date(), params.zone)}</p>
        </header>
        <div className="grid grid-cols-2 gap-4 print:gap-3">
          <KpiTable report={report} />
          <div className="flex flex-col gap-3">
            <WorldMap
              counts={countries}
              measure="hits"
              periodLabel={period}
              hitsHref={(country) => `/hits?${[hitsQuery, `country=${country}`].filter(Boolean).join('&')}`}
              switchHref={() => `/reports?${kpiQuery(params)}`}
            />
          </div>
        </div>
        <div className="mt-3 grid grid-cols-2 gap-3">
          {charts.map((c) => (
            <SvgChartCard key={c.id} id={c.id} title={c.title} svg={c.svg} csv={c.csv} />
          ))}
        </div>
      </article>
      {hasRole(actor, 'admin') ? <AdminSection actor={actor} /> : null}
    </div>
  );
}
