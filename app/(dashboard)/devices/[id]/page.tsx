import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageRole } from '@/lib/auth/guard';
import { HitFilterError, parseHitFilter, serialiseHitFilter } from '@/lib/hits/filters';
import { bucketFor, describeRange, nextBucket } from '@/lib/time/ranges';
import { getDevice } from '@/lib/queries/getDevice';
import { getHitTrend } from '@/lib/queries/getHitTrend';
import { getHitBreakdown } from '@/lib/queries/getHitBreakdown';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { RangePicker } from '@/components/filters/RangePicker';
import { TrendChart } from '@/components/charts/TrendChart';
import { isTimeZone } from '@/lib/time/zones';
import { BreakdownChart } from '@/components/charts/BreakdownChart';
import { ChartExportButtons } from '@/components/charts/ChartExportButtons';
import { trendCsv } from '@/lib/charts/trendCsv';
import { DeviceFacts } from '@/components/devices/DeviceFacts';
import { listDeviceEpisodes } from '@/lib/queries/listDeviceEpisodes';
import { DeviceEpisodes } from '@/components/episodes/DeviceEpisodes';

export const metadata = { title: 'Device' };

export default async function DevicePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole('viewer');
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const deviceId = decodeURIComponent(id);
  let filter;
  try {
    filter = parseHitFilter({
      range: query.range ?? '90d',
      from: query.from,
      to: query.to,
      tz: query.tz,
      device: deviceId,
    });
  } catch (error) {
    return (
      <EmptyState title="This link's filter is not valid">
        <span role="alert">{error instanceof HitFilterError ? error.message : String(error)}</span>
      </EmptyState>
    );
  }
  const bucket = bucketFor(filter.range);
  const [device, trend, processes, episodes] = await Promise.all([
    getDevice(actor, deviceId),
    getHitTrend(
      actor,
      filter,
      bucket,
      filter.tz === 'local' && typeof query.zone === 'string' && isTimeZone(query.zone) ? query.zone : 'UTC',
    ),
    getHitBreakdown(actor, filter, 'process', 10),
    listDeviceEpisodes(actor, deviceId),
  ]);
  if (!device) notFound();
  const hitsHref = (extra: Record<string, string>) => {
    const p = serialiseHitFilter(filter);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return `/hits?${p}`;
  };
  return (
    <>
      <PageHeader
        title={device.deviceName ?? device.deviceId}
        description={`${device.hits.total.toLocaleString('en')} hits in all (${device.hits.highConfidence.toLocaleString('en')} high confidence); charts show the ${describeRange(filter.range)}.`}
        actions={
          <Link
            href={hitsHref({})}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            This device&apos;s hits
          </Link>
        }
      />
      <div className="mb-4">
        <RangePicker
          range={filter.range.kind}
          from={filter.range.kind === 'custom' ? filter.range.from.toISOString() : undefined}
          to={filter.range.kind === 'custom' ? filter.range.to.toISOString() : undefined}
          tz={filter.tz}
        />
      </div>
      <div className="flex flex-col gap-4">
        <section
          data-chart-card
          aria-label="Hits over time"
          className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="mb-2 flex items-start justify-between gap-2">
            <h3 className="font-medium">Hits over time (per {bucket})</h3>
            {device.hits.total ? (
              <ChartExportButtons
                name={`hits-per-${bucket}-${deviceId.replace(/[^\w.-]+/g, '_')}`}
                csv={trendCsv(trend.points, bucket, trend.zone)}
              />
            ) : null}
          </div>
          {device.hits.total === 0 ? (
            <p className="text-sm text-slate-500">
              This device has no hits: none of its connections went to a Tor relay.
            </p>
          ) : (
            <TrendChart
              bucket={bucket}
              tz={filter.tz}
              zone={trend.zone}
              points={trend.points.map((p) => {
                const from = new Date(p.bucket);
                return {
                  ...p,
                  href: hitsHref({
                    from: from.toISOString(),
                    to: nextBucket(from, bucket).toISOString(),
                    range: 'custom',
                  }),
                };
              })}
            />
          )}
        </section>
        <DeviceEpisodes deviceId={deviceId} rows={episodes.rows} total={episodes.total} tz={filter.tz} />
        <BreakdownChart
          title="Processes that reached Tor"
          otherHits={processes.otherHits}
          colourIndex={1}
          bars={processes.entries.map((e) => ({
            label: e.label,
            hits: e.hits,
            devices: e.devices,
            href: e.key ? hitsHref({ process: e.key }) : null,
          }))}
        />
        <DeviceFacts device={device} tz={filter.tz} />
      </div>
    </>
  );
}
