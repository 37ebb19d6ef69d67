import type { DeviceProfile } from '@/lib/queries/getDevice';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { Timestamp } from '@/components/hits/Timestamp';

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** DeviceInfo attributes and the device's public IPs over time. */
export function DeviceFacts({ device, tz }: { device: DeviceProfile; tz: TimeZoneMode }) {
  const attributes = Object.entries(device.attributes ?? {}).slice(0, 40);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section
        aria-label="Attributes"
        className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <h3 className="mb-2 font-medium">DeviceInfo attributes</h3>
        <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
          <dt className="text-slate-500">Device ID</dt>
          <dd className="break-all font-mono text-xs">{device.deviceId}</dd>
          <dt className="text-slate-500">Platform</dt>
          <dd>
            {show(device.osPlatform)} {device.osVersion ?? ''}
          </dd>
          <dt className="text-slate-500">Machine group</dt>
          <dd>{show(device.machineGroup)}</dd>
          <dt className="text-slate-500">First seen</dt>
          <dd>{device.firstSeen ? <Timestamp iso={device.firstSeen} tz={tz} /> : '—'}</dd>
          <dt className="text-slate-500">Last seen</dt>
          <dd>{device.lastSeen ? <Timestamp iso={device.lastSeen} tz={tz} /> : '—'}</dd>
          {attributes.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="text-slate-500">{key}</dt>
              <dd className="break-words">{show(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section
        aria-label="Public IPs"
        className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <h3 className="mb-2 font-medium">Public IPs over time</h3>
        {device.publicIps.length === 0 ? (
          <p className="text-slate-500">
            No DeviceInfo records: upload a DeviceInfo export to see this device&apos;s public addresses.
          </p>
        ) : (
          <table className="w-full text-left text-xs">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1">Public IP</th>
                <th>From</th>
                <th>To</th>
                <th className="text-right">Reports</th>
              </tr>
            </thead>
            <tbody>
              {device.publicIps.map((period) => (
                <tr
                  key={`${period.publicIp}-${period.from}`}
                  className="border-t border-slate-100 dark:border-slate-800"
                >
                  <td className="py-1 font-mono">{period.publicIp ?? '(none)'}</td>
                  <td>
                    <Timestamp iso={period.from} tz={tz} />
                  </td>
                  <td>
                    <Timestamp iso={period.to} tz={tz} />
                  </td>
                  <td className="text-right tabular-nums">{period.records}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
