import type { WebhookFormat } from './alertPayload';

// The JSON a per-episode webhook receives for one new episode, in the receiver's format (see alertPayload.ts for the
// formats). Telemetry values are untrusted: Slack's control characters are escaped.

export interface AlertEpisode {
  id: string;
  deviceId: string;
  deviceName: string | null;
  processFileName: string | null;
  firstSeen: string; // ISO UTC
  lastSeen: string;
  hitCount: number;
  newHits: number; // hits of this run at or above the webhook's confidence
  maxConfidence: string;
  countryCodes: string[];
  relayCount: number;
}

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function episodeLink(publicUrl: string | null, episode: Pick<AlertEpisode, 'id' | 'deviceId'>): string | null {
  if (!publicUrl) return null;
  const query = new URLSearchParams({ device: episode.deviceId, range: '90d', episode: episode.id });
  return `${publicUrl.replace(/\/$/, '')}/episodes?${query}`;
}

function headline(e: AlertEpisode): string {
  return `TorWatch: new Tor episode on ${e.deviceName ?? e.deviceId} · ${e.processFileName ?? '(no process)'} — ${e.hitCount} ${e.hitCount === 1 ? 'hit' : 'hits'}, ${e.maxConfidence} confidence`;
}

function details(e: AlertEpisode): string {
  const countries = e.countryCodes.length ? e.countryCodes.map((c) => c.toUpperCase()).join(', ') : 'unknown';
  return `${e.firstSeen} – ${e.lastSeen} · ${e.relayCount} ${e.relayCount === 1 ? 'relay' : 'relays'} (${countries}) · episode ${e.id}`;
}

export function episodeAlertPayload(
  format: WebhookFormat,
  input: { matchRunId: number; episode: AlertEpisode; publicUrl: string | null },
): Record<string, unknown> {
  const { episode } = input;
  const link = episodeLink(input.publicUrl, episode);
  if (format === 'slack') {
    return {
      text: slackEscape(headline(episode)),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(headline(episode))}*` } },
        { type: 'section', text: { type: 'mrkdwn', text: slackEscape(details(episode)) } },
        ...(link
          ? [
              {
                type: 'actions',
                elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the episode' }, url: link }],
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
              { type: 'TextBlock', text: headline(episode), weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: details(episode), wrap: true, spacing: 'Small' },
            ],
            ...(link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the episode', url: link }] } : {}),
          },
        },
      ],
    };
  }
  return {
    event: 'torwatch.episode.new',
    matchRunId: input.matchRunId,
    episode,
    hitCount: episode.hitCount,
    url: link,
  };
}
