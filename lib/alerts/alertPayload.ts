import { chatPayload } from './chatMessage';

// The JSON a webhook receives for one batch of new hits (one match run), in the receiver's format: slack and teams
// messages (chatMessage.ts, which escapes every value from telemetry and relay lists), or generic — the batch as
// data, for SOARs and scripts.

export const WEBHOOK_FORMATS = ['slack', 'teams', 'generic'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface AlertHit {
  id: string;
  ts: string; // ISO UTC
  deviceId: string;
  deviceName: string | null;
  processFileName: string | null;
  remoteIp: string;
  remotePort: number | null;
  direction: string;
  relayNicknames: string[];
  country: string | null;
  confidence: string;
}

export interface AlertBatch {
  matchRunId: number | null; // null for a test message
  total: number; // hits in the batch; `hits` may list fewer
  hits: AlertHit[];
  publicUrl: string | null; // TORWATCH_PUBLIC_URL, for links
  test?: boolean;
}

export const LISTED_HITS = 20;

const asIs = (text: string) => text;

function headline(batch: AlertBatch): string {
  if (batch.test) return 'TorWatch test message: this webhook is configured correctly.';
  const high = batch.hits.filter((h) => h.confidence === 'high').length;
  return `TorWatch: ${batch.total} new Tor ${batch.total === 1 ? 'hit' : 'hits'}${high ? ` (${high} high confidence listed)` : ''} in match run ${batch.matchRunId}`;
}

/** One line per hit; `escape` is applied to every value that came from telemetry or a relay list. */
function describeHit(hit: AlertHit, escape: (text: string) => string = asIs): string {
  const relay = hit.relayNicknames.length ? hit.relayNicknames.map(escape).join(', ') : 'relay';
  const port = hit.remotePort ? `:${hit.remotePort}` : '';
  const country = hit.country ? `, ${escape(hit.country.toUpperCase())}` : '';
  return `${hit.ts} ${escape(hit.deviceName ?? hit.deviceId)} · ${escape(hit.processFileName ?? '(no process)')} → ${hit.remoteIp}${port} (${relay}${country}) · ${hit.confidence} · ${hit.direction}`;
}

const hitsLink = (batch: AlertBatch) =>
  batch.publicUrl ? `${batch.publicUrl.replace(/\/$/, '')}/hits?status=new` : null;

export function alertPayload(format: WebhookFormat, batch: AlertBatch): Record<string, unknown> {
  const listed = batch.hits.slice(0, LISTED_HITS);
  const more = batch.total - listed.length;
  const link = hitsLink(batch);
  if (format !== 'generic')
    return chatPayload(format, {
      headline: () => headline(batch),
      lines: (escape) => listed.map((h) => describeHit(h, escape)),
      list: true,
      note: more > 0 ? `…and ${more} more` : undefined,
      link,
      linkTitle: 'Open in TorWatch',
    });
  return {
    event: batch.test ? 'torwatch.test' : 'torwatch.hits.new',
    matchRunId: batch.matchRunId,
    hitCount: batch.total,
    truncated: more > 0,
    hits: listed,
    url: link,
  };
}
