import Link from 'next/link';
import { KPI_BUCKETS, KPI_SPANS } from '@/lib/kpis/definitions';
import { MyZoneLink } from './MyZoneLink';

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Helsinki',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Australia/Sydney',
];

const chip = (active: boolean) =>
  `rounded-md border px-2.5 py-1 text-sm ${active ? 'border-violet-700 bg-violet-700 text-white' : 'border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800'}`;

/** Period, bucket, span and time zone as links and a GET form: all state in the URL, works without scripts. */
export function KpiControls({
  path,
  query,
  period,
  bucket,
  months,
  zone,
}: {
  path: string;
  query: (override: Record<string, string>) => string;
  period: string;
  bucket: string;
  months: number;
  zone: string;
}) {
  const zones = ZONES.includes(zone) ? ZONES : [zone, ...ZONES];
  return (
    <div className="flex flex-wrap items-center gap-4 print:hidden">
      <nav aria-label="Period" className="flex gap-1">
        {(['7d', '30d', '90d'] as const).map((p) => (
          <Link
            key={p}
            href={`${path}?${query({ period: p })}`}
            className={chip(period === p)}
            aria-current={period === p ? 'true' : undefined}
          >
            Last {p.replace('d', ' days')}
          </Link>
        ))}
      </nav>
      <nav aria-label="Bucket" className="flex gap-1">
        {KPI_BUCKETS.map((b) => (
          <Link
            key={b}
            href={`${path}?${query({ bucket: b })}`}
            className={chip(bucket === b)}
            aria-current={bucket === b ? 'true' : undefined}
          >
            {b === 'week' ? 'Weekly' : 'Monthly'}
          </Link>
        ))}
      </nav>
      <nav aria-label="Trend span" className="flex gap-1">
        {KPI_SPANS.map((m) => (
          <Link
            key={m}
            href={`${path}?${query({ months: String(m) })}`}
            className={chip(months === m)}
            aria-current={months === m ? 'true' : undefined}
          >
            {m} months
          </Link>
        ))}
      </nav>
      <form method="get" action={path} className="flex items-center gap-1 text-sm">
        {Object.entries(Object.fromEntries(new URLSearchParams(query({})))).map(([k, v]) =>
          k === 'zone' ? null : <input key={k} type="hidden" name={k} value={v} />,
        )}
        <label htmlFor="zone">Time zone</label>
        <select
          id="zone"
          name="zone"
          defaultValue={zone}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <button type="submit" className={chip(false)}>
          Apply
        </button>
        <MyZoneLink path={path} query={query({})} current={zone} />
      </form>
    </div>
  );
}
