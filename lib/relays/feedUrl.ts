import 'server-only';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseQuery } from '@/lib/auth/authorise';
import { DEFAULT_FEEDS } from './relayFeeds';

// Where a scheduled feed downloads from: the Tor Project's address by default, or a mirror an admin sets (a site
// whose machines reach only an internal copy). Manual-import feeds (`import:<format>`) have no URL to set.

export const MAX_FEED_URL_LENGTH = 2048;

export class FeedUrlError extends Error {}

/** Why `value` cannot be a feed URL, or null. */
export function feedUrlProblem(value: string): string | null {
  if (value.length > MAX_FEED_URL_LENGTH) return `the URL is longer than ${MAX_FEED_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value.slice(0, 80)}" is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `only http:// and https:// URLs can be fetched (not ${url.protocol})`;
  // Shown on the settings and relays pages and in logs: no secrets in it.
  if (url.username || url.password)
    return 'the URL holds credentials, which would be shown on this page; use a mirror without them, or a proxy (HTTPS_PROXY)';
  return null;
}

/** Sets a scheduled feed's URL (null: back to its default), forgetting the cached ETag/Last-Modified; audited. */
export async function setFeedUrl(actor: Actor, name: string, value: string | null): Promise<string> {
  authoriseQuery(actor, 'admin');
  const url = value === null ? DEFAULT_FEEDS.find((feed) => feed.name === name)?.url : value.trim();
  if (url === undefined) throw new FeedUrlError(`"${name}" has no default URL`);
  const problem = feedUrlProblem(url);
  if (problem) throw new FeedUrlError(problem);
  const { rowCount } = await getPool().query(
    `UPDATE relay_feed SET url = $2, etag = NULL, last_modified = NULL WHERE name = $1 AND url IS NOT NULL`,
    [name, url],
  );
  if (!rowCount) throw new FeedUrlError(`"${name}" is not a scheduled feed`);
  await audit(actor, 'settings.feed', name, { url });
  return url;
}
