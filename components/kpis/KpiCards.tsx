import { sparklineSvg } from '@/lib/charts/svgChart';
import { formatKpi, kpiChange, type KpiKey } from '@/lib/kpis/definitions';
import { OKABE_ITO } from '@/components/charts/palette';

export interface KpiCardValue {
  key: KpiKey;
  label: string;
  unit: 'count' | 'percent' | 'hours';
  better: 'lower' | 'higher' | 'neutral';
  help: string;
  current: number | null;
  previous: number | null;
  series: Array<number | null>;
}

const TONE = {
  good: 'text-emerald-700 dark:text-emerald-400',
  bad: 'text-red-700 dark:text-red-400',
  neutral: 'text-slate-600 dark:text-slate-400',
};

/** KPI figures with the change against the previous period and a sparkline of the trailing buckets. */
export function KpiCards({ kpis, title, sparkNote }: { kpis: KpiCardValue[]; title?: string; sparkNote: string }) {
  return (
    <section aria-label={title ?? 'Key figures'} className="break-inside-avoid">
      {title ? <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">{title}</h2> : null}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-4 print:grid-cols-4">
        {kpis.map((k) => {
          const change = kpiChange(k.current, k.previous, k);
          return (
            <div
              key={k.key}
              data-kpi={k.key}
              className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
              title={k.help}
            >
              <div className="text-xs text-slate-600 dark:text-slate-400">{k.label}</div>
              <div className="mt-1 flex items-end justify-between gap-2">
                <span className="text-2xl font-semibold tabular-nums" data-kpi-value>
                  {formatKpi(k.current, k.unit)}
                </span>
                <span
                  aria-label={`Trend over ${sparkNote}`}
                  dangerouslySetInnerHTML={{ __html: sparklineSvg(k.series, OKABE_ITO.blue, 96, 28) }}
                />
              </div>
              <div className={`mt-1 text-xs ${TONE[change.tone]}`}>
                {change.direction === 'up' ? '▲' : change.direction === 'down' ? '▼' : '■'} {change.text}{' '}
                <span className="text-slate-500">vs previous ({formatKpi(k.previous, k.unit)})</span>
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
