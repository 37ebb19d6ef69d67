'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartCsv } from '@/lib/charts/svgChart';
import { ChartExportButtons } from './ChartExportButtons';
import { SERIES } from './palette';

/** "By relay country" → "by-relay-country": the export's file name. */
const fileName = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The chart's data as CSV: one row per bar, then the hits of the bars left out. */
function breakdownCsv(title: string, bars: BreakdownBar[], otherHits: number): string {
  const rows = otherHits > 0 ? [...bars, { label: '(others)', hits: otherHits, devices: null }] : bars;
  return chartCsv(
    title,
    rows.map((b) => b.label),
    [
      { name: 'Hits', values: rows.map((b) => b.hits) },
      { name: 'Devices', values: rows.map((b) => b.devices) },
    ],
  );
}

export interface BreakdownBar {
  label: string;
  hits: number;
  devices: number;
  href: string | null; // the hits table filtered to this bar (null when it cannot be filtered)
}

/**
 * A horizontal bar chart whose bars open the hits table filtered to them, with the same links listed for keyboards,
 * and PNG / CSV export of the chart (issue 17: every chart card).
 */
export function BreakdownChart({
  title,
  bars,
  otherHits,
  colourIndex = 0,
}: {
  title: string;
  bars: BreakdownBar[];
  otherHits: number;
  colourIndex?: number;
}) {
  const router = useRouter();
  const colour = SERIES[colourIndex % SERIES.length];
  return (
    <section
      data-chart-card
      aria-label={title}
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mb-2 flex items-start justify-between gap-2">
        <h3 className="font-medium">{title}</h3>
        {bars.length ? <ChartExportButtons name={fileName(title)} csv={breakdownCsv(title, bars, otherHits)} /> : null}
      </div>
      {bars.length === 0 ? (
        <p className="text-sm text-slate-500">No hits in this period.</p>
      ) : (
        <>
          <div className="w-full text-slate-700 dark:text-slate-300" style={{ height: 28 * bars.length + 40 }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={bars} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="currentColor" strokeOpacity={0.15} />
                <XAxis type="number" allowDecimals={false} tick={{ fill: 'currentColor', fontSize: 11 }} />
                <YAxis
                  type="category"
                  dataKey="label"
                  width={150}
                  tick={{ fill: 'currentColor', fontSize: 11 }}
                  interval={0}
                  tickFormatter={(v: string) => (v.length > 20 ? `${v.slice(0, 19)}…` : v)}
                />
                <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={{ fontSize: 12, color: '#0f172a' }} />
                <Bar
                  dataKey="hits"
                  name="Hits"
                  fill={colour}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(_, index) => {
                    const href = bars[index]?.href;
                    if (href) router.push(href);
                  }}
                >
                  {bars.map((bar) => (
                    <Cell key={bar.label} fill={colour} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs">
            {bars.map((bar) => (
              <li key={bar.label}>
                {bar.href ? (
                  <Link href={bar.href} className="text-violet-800 hover:underline dark:text-violet-300">
                    {bar.label}
                  </Link>
                ) : (
                  <span>{bar.label}</span>
                )}
                <span className="text-slate-500"> {bar.hits.toLocaleString('en')}</span>
              </li>
            ))}
            {otherHits > 0 ? <li className="text-slate-500">others {otherHits.toLocaleString('en')}</li> : null}
          </ul>
        </>
      )}
    </section>
  );
}
