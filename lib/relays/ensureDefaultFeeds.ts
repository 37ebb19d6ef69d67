import { getPrisma } from '@/lib/db/client';
import { DEFAULT_FEEDS } from './relayFeeds';

/** Startup hook: inserts the default feeds that are missing; an admin's changes (enabled, URL) are kept. */
export async function ensureDefaultFeeds(log: (line: string) => void): Promise<void> {
  const created = await getPrisma().relayFeed.createMany({
    data: DEFAULT_FEEDS.map(({ name, format, url }) => ({ name, format, url })),
    skipDuplicates: true,
  });
  if (created.count > 0) log(`relay feeds: added ${created.count} default feed(s)`);
}
