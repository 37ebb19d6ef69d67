import type { RelayAddressHistoryRow } from '@/lib/queries/getRelay';
import { formatUtc } from '@/lib/time/formatUtc';
import { formatAddress } from './relayFormat';

// A relay's addresses over time: one lane per address, a bar per interval, placed on one time axis spanning the
// relay's whole history. Consensus history (hour-exact) is drawn solid, relay-list evidence hatched.

export function AddressTimeline({ history }: { history: RelayAddressHistoryRow[] }) {
  if (history.length === 0) return null;
  const start = Math.min(...history.map((row) => Date.parse(row.validFrom)));
  const end = Math.max(...history.map((row) => Date.parse(row.validTo)));
  const span = Math.max(end - start, 3_600_000);
  const lanes = new Map<string, RelayAddressHistoryRow[]>();
  for (const row of history) {
    const lane = `${formatAddress(row.ip, row.port)} ${row.kind}`;
    lanes.set(lane, [...(lanes.get(lane) ?? []), row]);
  }
  return (
    <figure className="mb-6 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <figcaption className="mb-3 flex flex-wrap justify-between gap-2 text-xs text-slate-500">
        <span>
          Address timeline, {formatUtc(new Date(start).toISOString())} → {formatUtc(new Date(end).toISOString())}
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-4 rounded-sm bg-violet-600 align-middle" /> consensus history
          <span className="mr-1 ml-3 inline-block h-2 w-4 rounded-sm bg-violet-300 align-middle" /> relay lists
        </span>
      </figcaption>
      <ul className="space-y-2" aria-label="Address timeline">
        {[...lanes].map(([lane, rows]) => (
          <li key={lane} className="grid grid-cols-[14rem_1fr] items-center gap-3">
            <span className="truncate font-mono text-xs">{lane}</span>
            <div className="relative h-4 rounded bg-slate-100 dark:bg-slate-800">
              {rows.map((row) => {
                const left = ((Date.parse(row.validFrom) - start) / span) * 100;
                const width = Math.max(((Date.parse(row.validTo) - Date.parse(row.validFrom)) / span) * 100, 0.4);
                return (
                  <span
                    key={`${row.evidence}|${row.validFrom}`}
                    data-testid="timeline-interval"
                    title={`${row.evidence === 'consensus' ? 'consensus history' : 'relay lists'}: ${formatUtc(row.validFrom)} → ${formatUtc(row.validTo)}`}
                    className={`absolute top-0 h-4 rounded-sm ${row.evidence === 'consensus' ? 'bg-violet-600' : 'bg-violet-300'}`}
                    style={{ left: `${left}%`, width: `${width}%` }}
                  />
                );
              })}
            </div>
          </li>
        ))}
      </ul>
    </figure>
  );
}
