import type { JobHandler } from '@/lib/jobs/jobHandler';
import { fetchFeed } from './fetchFeed';
import { DEFAULT_FEEDS } from './relayFeeds';

/**
 * The pg-boss handler of a relays-fetch-* queue. A failed or refused fetch throws, so pg-boss retries it with
 * backoff (the queue's retryLimit); the feed row already records the reason and the previous data stays.
 */
export function relayFetchJob(queue: string): JobHandler {
  const feed = DEFAULT_FEEDS.find((candidate) => candidate.queue === queue);
  if (!feed) throw new Error(`no relay feed is fetched by queue ${queue}`);
  return async () => {
    const result = await fetchFeed(feed.name);
    if (result.status === 'failed' || result.status === 'refused') throw new Error(result.message);
    return { status: result.status, message: result.message };
  };
}
