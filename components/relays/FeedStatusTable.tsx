import type { RelayFeedStatus } from '@/lib/queries/listRelayFeeds';
import { formatUtc } from '@/lib/time/formatUtc';
import { formatAge, ROW, TABLE, THEAD } from './relayFormat';

const STATUS_STYLE: Record<string, string> = {
  ok: 'text-emerald-800 dark:text-emerald-300',
  not_modified: 'text-slate-700 dark:text-slate-300',
  failed: 'text-red-700 dark:text-red-400 font-medium',
  refused: 'text-amber-800 dark:text-amber-300 font-medium',
};

export function FeedStatusTable({ feeds }: { feeds: RelayFeedStatus[] }) {
  return (
    <div className={TABLE}>
      <table className="w-full text-left text-sm" aria-label="Relay feeds">
        <thead className={THEAD}>
          <tr>
            <th className="px-3 py-2">Feed</th>
            <th className="px-3 py-2">Last fetch</th>
            <th className="px-3 py-2">Result</th>
            <th className="px-3 py-2 text-right">Relays</th>
            <th className="px-3 py-2 text-right">Addresses</th>
            <th className="px-3 py-2 text-right">Rejected</th>
            <th className="px-3 py-2">Data age</th>
            <th className="px-3 py-2">Next run</th>
          </tr>
        </thead>
        <tbody>
          {feeds.map((feed) => (
            <tr key={feed.name} className={ROW}>
              <td className="px-3 py-2">
                <div className="font-medium">
                  {feed.name}
                  {feed.enabled ? '' : <span className="ml-2 text-xs font-normal text-slate-500">(disabled)</span>}
                </div>
                <div className="text-xs text-slate-500">
                  {feed.format}
                  {feed.url ? ` · ${new URL(feed.url).host}` : ' · uploads and imports'}
                </div>
              </td>
              <td className="px-3 py-2 text-xs whitespace-nowrap">
                {feed.lastFetchAt ? formatUtc(feed.lastFetchAt) : 'never'}
              </td>
              <td className="max-w-md px-3 py-2 text-xs">
                <span className={STATUS_STYLE[feed.lastStatus ?? ''] ?? 'text-slate-500'}>
                  {(feed.lastStatus ?? 'not fetched yet').replace('_', ' ')}
                </span>
                {feed.lastError ? (
                  <div className="mt-0.5 break-words text-slate-600 dark:text-slate-400">{feed.lastError}</div>
                ) : null}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{feed.snapshot?.relays.toLocaleString('en') ?? '—'}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {feed.snapshot?.addresses.toLocaleString('en') ?? '—'}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {feed.snapshot?.rejected.toLocaleString('en') ?? '—'}
              </td>
              <td
                className="px-3 py-2 text-xs whitespace-nowrap"
                title={feed.snapshot ? `observed ${formatUtc(feed.snapshot.observedAt)}` : undefined}
              >
                {feed.ageHours === null ? '—' : formatAge(feed.ageHours)}
              </td>
              <td className="px-3 py-2 text-xs whitespace-nowrap">
                {feed.nextRunAt
                  ? formatUtc(feed.nextRunAt)
                  : feed.queue
                    ? feed.enabled
                      ? 'not scheduled'
                      : '—'
                    : 'manual'}
                {feed.cron ? <div className="font-mono text-slate-500">{feed.cron}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
