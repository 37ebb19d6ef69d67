import { getPrisma } from '@/lib/db/client';
import { downloadRelayDocument, FeedDownloadError, type DownloadOptions } from './downloadRelayDocument';
import { importRelaySnapshot, type RelayImportResult } from './importRelaySnapshot';
import { markFeedUnchanged } from './relayFeeds';
import type { RelayFormat } from './types';

// Fetches a configured feed (relay_feed) and imports it as a snapshot. A failed download, an unusable document or
// an implausible list leaves the feed's previous data as it was (keep-last-good) and records why on the feed.

export interface FeedFetchResult {
  feed: string;
  status: 'imported' | 'unchanged' | 'not_modified' | 'failed' | 'refused' | 'disabled';
  message: string; // one line for logs, the CLI and the Relays page
  import?: RelayImportResult;
}

export interface FetchFeedOptions extends Pick<DownloadOptions, 'timeoutMs' | 'maxBytes'> {
  /** Fetch even when the feed is disabled (an explicit `torwatch relays fetch <feed>`). */
  includeDisabled?: boolean;
  force?: boolean;
}

export async function fetchFeed(name: string, options: FetchFeedOptions = {}): Promise<FeedFetchResult> {
  const feed = await getPrisma().relayFeed.findUnique({ where: { name } });
  if (!feed) {
    const known = (await getPrisma().relayFeed.findMany({ where: { url: { not: null } }, select: { name: true } })).map(
      (f) => f.name,
    );
    throw new Error(`unknown relay feed "${name}" (configured: ${known.join(', ') || 'none'})`);
  }
  if (!feed.enabled && !options.includeDisabled) {
    return { feed: name, status: 'disabled', message: `${name}: disabled (enable it in Settings → Schedules)` };
  }
  const format = feed.format as RelayFormat;
  if (!feed.url) {
    const message = `${name}: no URL configured`;
    await markFeedUnchanged(name, format, 'failed', message);
    return { feed: name, status: 'failed', message };
  }
  if (feed.format === 'collector') return fetchCollectorFeed(name, feed.url);
  let download;
  try {
    download = await downloadRelayDocument(feed.url, {
      etag: feed.etag,
      lastModified: feed.lastModified,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
    });
  } catch (error) {
    if (!(error instanceof FeedDownloadError)) throw error;
    await markFeedUnchanged(name, format, 'failed', error.message);
    return { feed: name, status: 'failed', message: `${name}: ${error.message}; kept the previous data` };
  }
  if (download.notModified) {
    await markFeedUnchanged(name, format, 'not_modified', null);
    return { feed: name, status: 'not_modified', message: `${name}: not modified since the last fetch` };
  }
  const result = await importRelaySnapshot(download.body, {
    source: feed.url,
    format,
    feedName: name,
    force: options.force,
  });
  if (result.status === 'refused') {
    return { feed: name, status: 'refused', message: `${name}: ${result.reason}`, import: result };
  }
  // Validators are kept only for a document that was stored, so a refused one is downloaded again next time.
  await getPrisma().relayFeed.update({
    where: { name },
    data: { etag: download.etag, lastModified: download.lastModified },
  });
  return { feed: name, status: result.status, message: `${name}: ${describeImport(result)}`, import: result };
}

/** One line: what an import did. */
export function describeImport(result: RelayImportResult): string {
  if (result.status === 'refused') return `refused: ${result.reason}`;
  const counts = `${result.relays} relays, ${result.addresses} addresses, ${result.rejected} rejected`;
  if (result.status === 'unchanged')
    return `unchanged (snapshot ${result.snapshotId} already holds this list): ${counts}`;
  return (
    `imported snapshot ${result.snapshotId} (${result.format}): ${counts}; ` +
    `intervals ${result.intervalsAdded} new, ${result.intervalsExtended} extended`
  );
}

/** The CollecTor feed: recent/ consensuses and exit lists into relay history (lib/relays/archive). */
async function fetchCollectorFeed(name: string, url: string): Promise<FeedFetchResult> {
  const { fetchCollectorRecent } = await import('./archive/fetchCollectorRecent');
  const { describeHistoryImport } = await import('./archive/describeHistoryImport');
  try {
    const summary = await fetchCollectorRecent(url);
    if (summary.status === 'failed') {
      await markFeedUnchanged(name, null, 'failed', summary.reason ?? 'failed');
      return { feed: name, status: 'failed', message: `${name}: ${summary.reason}` };
    }
    await getPrisma().relayFeed.update({
      where: { name },
      data: { lastStatus: 'ok', lastError: null, lastFetchAt: new Date(), lastSuccessAt: new Date() },
    });
    return { feed: name, status: 'imported', message: `${name}: ${describeHistoryImport(summary)}` };
  } catch (error) {
    const message = (error as Error).message;
    await markFeedUnchanged(name, null, 'failed', message);
    return { feed: name, status: 'failed', message: `${name}: ${message}; kept the previous data` };
  }
}
