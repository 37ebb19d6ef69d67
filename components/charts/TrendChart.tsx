'use client';

import { useRouter } from 'next/navigation';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBucket, type Bucket, type TimeZoneMode } from '@/lib/time/ranges';
import { formatZonedBucket } from '@/lib/time/zones';
import { OKABE_ITO } from './palette';

export interface TrendChartPoint {
  bucket: string;
  hits: number;
  devices: number;
  href: string; // the hits table for this bucket
}

/** Hits (bars) and distinct devices (line) per bucket; clicking a bucket opens its hits. */
export function TrendChart({
  points,
  bucket,
  tz,
  zone,
}: {
  points: TrendChartPoint[];
  bucket: Bucket;
  tz: TimeZoneMode;
  zone?: string; // the IANA zone the buckets were cut in; labels follow it and the chart names it
}) {
  const router = useRouter();
  const data = points.map((p) => ({
    ...p,
    label: zone ? formatZonedBucket(new Date(p.bucket), bucket, zone) : formatBucket(new Date(p.bucket), bucket, tz),
  }));
  const open = (index: number | undefined) => {
    if (index !== undefined && data[index]) router.push(data[index].href);
  };
  return (
    <div className="h-72 w-full text-slate-700 dark:text-slate-300" data-testid="trend-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          onClick={(state) =>
            open(
              state?.activeTooltipIndex === undefined || state?.activeTooltipIndex === null
                ? undefined
                : Number(state.activeTooltipIndex),
            )
          }
        >
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="label" tick={{ fill: 'currentColor', fontSize: 11 }} minTickGap={16} />
          <YAxis yAxisId="hits" allowDecimals={false} tick={{ fill: 'currentColor', fontSize: 11 }} width={48} />
          <YAxis
            yAxisId="devices"
            orientation="right"
            allowDecimals={false}
            tick={{ fill: 'currentColor', fontSize: 11 }}
            width={40}
          />
          <Tooltip contentStyle={{ background: 'var(--tooltip-bg, #fff)', color: '#0f172a', fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="hits"
            dataKey="hits"
            name="Hits"
            fill={OKABE_ITO.blue}
            cursor="pointer"
            isAnimationActive={false}
          />
          <Line
            yAxisId="devices"
            dataKey="devices"
            name="Distinct devices"
            stroke={OKABE_ITO.orange}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
      {zone ? (
        <p className="text-xs text-slate-500" data-testid="trend-zone">
          {bucket === 'hour' ? 'Hours' : bucket === 'day' ? 'Days from 00:00' : 'Weeks from Monday 00:00'}, time zone{' '}
          {zone}
        </p>
      ) : null}
    </div>
  );
}
