import { requirePageRole } from '@/lib/auth/guard';
import { HitFilterError, parseHitFilter } from '@/lib/hits/filters';
import { describeRange } from '@/lib/time/ranges';
import { listDevices } from '@/lib/queries/listDevices';
import { EmptyState } from '@/components/layout/EmptyState';
import { PageHeader } from '@/components/layout/PageHeader';
import { RangePicker } from '@/components/filters/RangePicker';
import { DeviceList } from '@/components/devices/DeviceList';
import { DeviceSearch } from '@/components/devices/DeviceSearch';

export const metadata = { title: 'Devices' };

export default async function DevicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole('viewer');
  const params = await searchParams;
  let filter;
  try {
    filter = parseHitFilter({ range: params.range, from: params.from, to: params.to, tz: params.tz });
  } catch (error) {
    return (
      <EmptyState title="This link's filter is not valid" action={{ href: '/devices', label: 'Show devices' }}>
        <span role="alert">{error instanceof HitFilterError ? error.message : String(error)}</span>
      </EmptyState>
    );
  }
  const q = typeof params.q === 'string' && params.q.trim() ? params.q.trim().slice(0, 200) : undefined;
  const devices = await listDevices(actor, filter.range, q);
  return (
    <>
      <PageHeader
        title="Devices"
        description={`Devices that reached Tor, ${describeRange(filter.range)}; search to find any device.`}
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <RangePicker
          range={filter.range.kind}
          from={filter.range.kind === 'custom' ? filter.range.from.toISOString() : undefined}
          to={filter.range.kind === 'custom' ? filter.range.to.toISOString() : undefined}
          tz={filter.tz}
        />
        <DeviceSearch initial={q ?? ''} />
      </div>
      {devices.length === 0 ? (
        <EmptyState
          title={q ? `No device matches "${q}"` : 'No device reached Tor in this period'}
          action={{ href: '/ingest', label: 'Upload telemetry' }}
        >
          {q
            ? 'Search by device name or id.'
            : 'Choose a longer time range, or search for a device by name. Devices are known from DeviceInfo and network event uploads.'}
        </EmptyState>
      ) : (
        <DeviceList devices={devices} tz={filter.tz} />
      )}
    </>
  );
}
