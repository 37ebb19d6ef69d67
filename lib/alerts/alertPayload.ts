// The JSON a webhook receives for one batch of new hits (one match run), in the receiver's format:
//  - slack: an incoming-webhook message (`text` fallback plus Block Kit sections);
//  - teams: a message with an Adaptive Card attachment (what Teams Workflows' "post to a channel when a webhook
//    request is received" accepts; the retired Office 365 connectors' MessageCard is not used);
//  - generic: the batch as data, for SOARs and scripts.
// Telemetry values (device and process names) and relay nicknames (from relay lists) are untrusted: Slack's control
// characters are escaped so a device called "<https://evil|click>" cannot become a link, and Teams' Markdown ones so
// a relay nicknamed "[sign in](https://evil)" cannot either.

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

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Adaptive Card TextBlock Markdown: links, emphasis and code need these; a backslash makes each literal. */
const teamsEscape = (text: string) => text.replace(/[\\`*_[\]()~<>!]/g, '\\$&');
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
  if (format === 'slack') {
    const lines =
      listed.map((h) => `• ${describeHit(h, slackEscape)}`).join('\n') + (more > 0 ? `\n…and ${more} more` : '');
    return {
      text: slackEscape(headline(batch)),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(headline(batch))}*` } },
        ...(lines ? [{ type: 'section', text: { type: 'mrkdwn', text: lines.slice(0, 2900) } }] : []),
        ...(link
          ? [
              {
                type: 'actions',
                elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in TorWatch' }, url: link }],
              },
            ]
          : []),
      ],
    };
  }
  if (format === 'teams') {
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: headline(batch), weight: 'Bolder', size: 'Medium', wrap: true },
              ...listed.map((h) => ({
                type: 'TextBlock',
                text: describeHit(h, teamsEscape),
                wrap: true,
                spacing: 'Small',
              })),
              ...(more > 0 ? [{ type: 'TextBlock', text: `…and ${more} more`, isSubtle: true }] : []),
            ],
            ...(link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in TorWatch', url: link }] } : {}),
          },
        },
      ],
    };
  }
  return {
    event: batch.test ? 'torwatch.test' : 'torwatch.hits.new',
    matchRunId: batch.matchRunId,
    hitCount: batch.total,
    truncated: more > 0,
    hits: listed,
    url: link,
  };
}
