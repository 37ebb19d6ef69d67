import { PageHeader } from '@/components/layout/PageHeader';
import { FeedStatusTable } from '@/components/relays/FeedStatusTable';
import { RelayLookupPanel } from '@/components/relays/RelayLookupPanel';
import { RelaySearchPanel } from '@/components/relays/RelaySearchPanel';
import { RelayUploadForm } from '@/components/relays/RelayUploadForm';
import { formatAge } from '@/components/relays/relayFormat';
import { formatUtc } from '@/lib/time/formatUtc';
import { requirePageRole } from '@/lib/auth/guard';
import { getRelayLookup, type RelayLookup } from '@/lib/queries/getRelayLookup';
import { listRelayFeeds, RELAY_DATA_STALE_HOURS } from '@/lib/queries/listRelayFeeds';
import { searchRelays } from '@/lib/queries/searchRelays';
import { parseRelayDate } from '@/lib/relays/relayDates';
import { maxRelayUploadBytes } from '@/lib/relays/relayUploadRequest';
import { RelayLookupError } from '@/lib/relays/lookupRelayAddress';

export const metadata = { title: 'Relays' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

export default async function RelaysPage({ searchParams }: { searchParams: Search }) {
  const actor = await requirePageRole('viewer');
  const params = await searchParams;
  const [ip, at, q, country] = [one(params.ip), one(params.at), one(params.q), one(params.country)];
  const [overview, search] = await Promise.all([listRelayFeeds(actor), searchRelays(actor, { q, country })]);
  let lookup: RelayLookup | null = null;
  let lookupError: string | null = null;
  if (ip) {
    const when = at ? parseRelayDate(at) : new Date();
    if (!when) lookupError = `"${at}" is not a time.`;
    else {
      try {
        lookup = await getRelayLookup(actor, ip, when);
      } catch (error) {
        if (!(error instanceof RelayLookupError)) throw error;
        lookupError = `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`;
      }
    }
  }
  return (
    <>
      <PageHeader
        title="Relays"
        description="Tor relay lists kept as history: feed status, which address was a relay when, and every relay's addresses."
      />
      {overview.stale ? (
        <p
          role="alert"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-900/30 dark:text-amber-100"
        >
          {overview.newestAgeHours === null
            ? 'No relay data yet: nothing can be matched until a feed is fetched or a relay list is uploaded.'
            : `Relay data is ${formatAge(overview.newestAgeHours)} old (newest list observed ${formatUtc(overview.newestObservedAt!)}), older than ${RELAY_DATA_STALE_HOURS} h: check the feeds below.`}
        </p>
      ) : null}
      <section aria-labelledby="feeds-heading" className="mb-6">
        <h2 id="feeds-heading" className="mb-2 text-lg font-medium">
          Feeds
        </h2>
        <FeedStatusTable feeds={overview.feeds} />
      </section>
      <div className="mb-6 grid gap-4 xl:grid-cols-2">
        <RelayLookupPanel ip={ip} at={at} lookup={lookup} error={lookupError} />
        {overview.canUpload ? <RelayUploadForm maxMb={Math.round(maxRelayUploadBytes() / 1024 / 1024)} /> : null}
      </div>
      <RelaySearchPanel q={q} country={country} result={search} />
    </>
  );
}
