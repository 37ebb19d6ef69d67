import { getPrisma } from '@/lib/db/client';
import type { RelayFormat } from './types';

// The configured relay feeds (relay_feed). The defaults are inserted at startup (lib/relays/ensureDefaultFeeds.ts);
// a manual import without a feed name counts as the feed `import:<format>`.

export interface DefaultFeed {
  name: string;
  format: RelayFormat | 'collector'; // collector: a CollecTor base URL (recent/ hourly, archive/ for backfill)
  url: string;
  queue: string; // pg-boss queue in lib/jobs/queues.ts
}

export const DEFAULT_FEEDS: DefaultFeed[] = [
  {
    name: 'torrelayips',
    format: 'torrelayips-csv',
    url: 'https://torinfo.blob.core.windows.net/public/TorRelayIPs.csv',
    queue: 'relays-fetch-torrelayips',
  },
  { name: 'onionoo', format: 'onionoo', url: 'https://onionoo.torproject.org/details', queue: 'relays-fetch-onionoo' },
  {
    name: 'bulk-exit-list',
    format: 'bulk-exit-list',
    url: 'https://check.torproject.org/torbulkexitlist',
    queue: 'relays-fetch-bulk-exit-list',
  },
  {
    name: 'collector-recent',
    format: 'collector',
    url: 'https://collector.torproject.org',
    queue: 'relays-fetch-collector-recent',
  },
];

export type FeedStatus = 'ok' | 'not_modified' | 'failed' | 'refused';

/** The feed's id, creating a feed row (without URL) when none has that name. */
export async function ensureFeed(name: string, format: RelayFormat, url: string | null = null): Promise<number> {
  const feed = await getPrisma().relayFeed.upsert({
    where: { name },
    create: { name, format, url },
    update: {},
    select: { id: true },
  });
  return feed.id;
}

/** Records a fetch or import that did not produce a snapshot; the feed's data stays as it was. */
export async function markFeedUnchanged(
  name: string,
  format: RelayFormat | null,
  status: Exclude<FeedStatus, 'ok'>,
  error: string | null,
): Promise<void> {
  const now = new Date();
  const update = {
    lastFetchAt: now,
    lastStatus: status,
    lastError: error,
    ...(status === 'not_modified' ? { lastSuccessAt: now } : {}),
  };
  if (!format) {
    await getPrisma().relayFeed.updateMany({ where: { name }, data: update });
    return;
  }
  await getPrisma().relayFeed.upsert({ where: { name }, create: { name, format, ...update }, update });
}
