import Link from 'next/link';
import type { DeviceSummary } from '@/lib/queries/listDevices';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { Timestamp } from '@/components/hits/Timestamp';

/** Devices with their hits in the period, most first; each opens its device page. */
export function DeviceList({ devices, tz }: { devices: DeviceSummary[]; tz: TimeZoneMode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="Devices">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              Device
            </th>
            <th scope="col" className="px-3 py-2">
              Platform
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Hits
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Processes
            </th>
            <th scope="col" className="px-3 py-2">
              Last hit
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => (
            <tr key={device.deviceId} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="px-3 py-1.5">
                <Link
                  href={`/devices/${encodeURIComponent(device.deviceId)}`}
                  className="text-violet-800 hover:underline dark:text-violet-300"
                >
                  {device.deviceName ?? device.deviceId}
                </Link>
              </td>
              <td className="px-3 py-1.5">{device.osPlatform ?? '—'}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{device.hits.toLocaleString('en')}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{device.processes}</td>
              <td className="px-3 py-1.5">{device.lastHit ? <Timestamp iso={device.lastHit} tz={tz} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
