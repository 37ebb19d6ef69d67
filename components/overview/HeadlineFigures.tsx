import Link from 'next/link';
import type { HeadlineCounts, OverviewHeadline } from '@/lib/queries/getOverviewHeadline';

const FIGURES: Array<{ key: keyof HeadlineCounts; label: string; extra?: string }> = [
  { key: 'hits', label: 'Hits' },
  { key: 'devices', label: 'Devices' },
  { key: 'processes', label: 'Processes' },
  { key: 'relays', label: 'Relays contacted' },
  { key: 'highConfidence', label: 'High-confidence hits', extra: 'confidence=high' },
];

function Change({ current, previous }: { current: number; previous: number }) {
  if (previous === 0) return <span className="text-slate-500">{current === 0 ? 'no change' : 'new this period'}</span>;
  const change = Math.round(((current - previous) / previous) * 100);
  // More Tor contact is worse: up is marked ▲ in vermillion-ish text, down ▼; the sign is in the text too.
  const tone =
    change > 0
      ? 'text-orange-700 dark:text-orange-400'
      : change < 0
        ? 'text-sky-700 dark:text-sky-400'
        : 'text-slate-500';
  return (
    <span className={tone}>
      {change > 0 ? '▲ +' : change < 0 ? '▼ ' : ''}
      {change}% <span className="text-slate-500">vs {previous.toLocaleString('en')} before</span>
    </span>
  );
}

/** The five headline figures for the period, each against the previous period of equal length. */
export function HeadlineFigures({ headline, hitsQuery }: { headline: OverviewHeadline; hitsQuery: string }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
      {FIGURES.map(({ key, label, extra }) => (
        <div
          key={key}
          className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          data-figure={key}
        >
          <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">
            <Link href={`/hits?${[hitsQuery, extra].filter(Boolean).join('&')}`} className="hover:underline">
              {headline.current[key].toLocaleString('en')}
            </Link>
          </dd>
          <dd className="mt-1 text-xs">
            <Change current={headline.current[key]} previous={headline.previous[key]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
