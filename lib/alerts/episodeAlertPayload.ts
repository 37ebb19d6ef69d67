import type { WebhookFormat } from './alertPayload';
import { chatPayload, type Escape } from './chatMessage';

// The JSON a per-episode webhook receives for one new episode, in the receiver's format (see alertPayload.ts for the
// formats): every value from telemetry or relay lists goes through the format's escape (chatMessage.ts).

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

export function episodeLink(publicUrl: string | null, episode: Pick<AlertEpisode, 'id' | 'deviceId'>): string | null {
  if (!publicUrl) return null;
  const query = new URLSearchParams({ device: episode.deviceId, range: '90d', episode: episode.id });
  return `${publicUrl.replace(/\/$/, '')}/episodes?${query}`;
}

function headline(e: AlertEpisode, escape: Escape): string {
  return `TorWatch: new Tor episode on ${escape(e.deviceName ?? e.deviceId)} · ${escape(e.processFileName ?? '(no process)')} — ${e.hitCount} ${e.hitCount === 1 ? 'hit' : 'hits'}, ${e.maxConfidence} confidence`;
}

function details(e: AlertEpisode, escape: Escape): string {
  const countries = e.countryCodes.length ? e.countryCodes.map((c) => escape(c.toUpperCase())).join(', ') : 'unknown';
  return `${e.firstSeen} – ${e.lastSeen} · ${e.relayCount} ${e.relayCount === 1 ? 'relay' : 'relays'} (${countries}) · episode ${e.id}`;
}

export function episodeAlertPayload(
  format: WebhookFormat,
  input: { matchRunId: number; episode: AlertEpisode; publicUrl: string | null },
): Record<string, unknown> {
  const { episode } = input;
  const link = episodeLink(input.publicUrl, episode);
  if (format !== 'generic')
    return chatPayload(format, {
      headline: (escape) => headline(episode, escape),
      lines: (escape) => [details(episode, escape)],
      link,
      linkTitle: 'Open the episode',
    });
  return {
    event: 'torwatch.episode.new',
    matchRunId: input.matchRunId,
    episode,
    hitCount: episode.hitCount,
    url: link,
  };
}
