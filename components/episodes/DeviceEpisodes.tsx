import Link from 'next/link';
import type { EpisodeRow } from '@/lib/queries/listEpisodesPage';
import type { TimeZoneMode } from '@/lib/time/ranges';
import { ConfidenceBadge, StatusBadge } from '@/components/hits/badges';
import { Timestamp } from '@/components/hits/Timestamp';

/** The device page's list of its episodes; each opens on the Episodes page, expanded. */
export function DeviceEpisodes({
  deviceId,
  rows,
  total,
  tz,
}: {
  deviceId: string;
  rows: EpisodeRow[];
  total: number;
  tz: TimeZoneMode;
}) {
  const href = (row: EpisodeRow) =>
    `/episodes?${new URLSearchParams({
      device: deviceId,
      from: row.firstSeen,
      to: new Date(Date.parse(row.lastSeen) + 1).toISOString(),
      episode: row.id,
    })}`;
  return (
    <section
      aria-label="Episodes of this device"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="mb-2 font-medium">
        Episodes <span className="text-sm font-normal text-slate-500">· {total.toLocaleString('en')}</span>
      </h3>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No episodes: this device has no hits.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">Last seen</th>
              <th className="py-1 pr-3 font-medium">First seen</th>
              <th className="py-1 pr-3 font-medium">Process</th>
              <th className="py-1 pr-3 font-medium">Hits</th>
              <th className="py-1 pr-3 font-medium">Confidence</th>
              <th className="py-1 pr-3 font-medium">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 pr-3">
                  <Link href={href(row)} className="text-violet-800 hover:underline dark:text-violet-300">
                    <Timestamp iso={row.lastSeen} tz={tz} />
                  </Link>
                </td>
                <td className="py-1 pr-3">
                  <Timestamp iso={row.firstSeen} tz={tz} />
                </td>
                <td className="py-1 pr-3">{row.processFileName ?? '(no process)'}</td>
                <td className="py-1 pr-3 tabular-nums">{row.hitCount.toLocaleString('en')}</td>
                <td className="py-1 pr-3">
                  <ConfidenceBadge confidence={row.maxConfidence} />
                </td>
                <td className="py-1 pr-3">
                  <StatusBadge status={row.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
