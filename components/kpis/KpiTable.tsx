import { formatKpi, kpiChange, KPI_SECTIONS } from '@/lib/kpis/definitions';
import type { KpiReport } from '@/lib/queries/getKpiReport';

const TONE = { good: 'text-emerald-700', bad: 'text-red-700', neutral: 'text-slate-600' };

/** Every KPI in one compact table: this period, the previous one, the change (the report's core). */
export function KpiTable({ report }: { report: KpiReport }) {
  return (
    <table className="w-full text-sm" data-testid="kpi-table">
      <thead>
        <tr className="border-b border-slate-300 text-left text-xs text-slate-500">
          <th className="py-1 font-medium">Figure</th>
          <th className="py-1 text-right font-medium">This period</th>
          <th className="py-1 text-right font-medium">Previous</th>
          <th className="py-1 text-right font-medium">Change</th>
        </tr>
      </thead>
      {KPI_SECTIONS.map((section) => (
        <tbody key={section.title}>
          <tr>
            <th colSpan={4} className="pt-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              {section.title}
            </th>
          </tr>
          {section.keys.map((key) => {
            const k = report.kpis[key];
            const change = kpiChange(k.current, k.previous, k);
            return (
              <tr key={key} data-kpi={key} className="border-b border-slate-100">
                <td className="py-0.5">{k.label}</td>
                <td className="py-0.5 text-right font-semibold tabular-nums" data-kpi-value>
                  {formatKpi(k.current, k.unit)}
                </td>
                <td className="py-0.5 text-right tabular-nums text-slate-600">{formatKpi(k.previous, k.unit)}</td>
                <td className={`py-0.5 text-right tabular-nums ${TONE[change.tone]}`}>{change.text}</td>
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
