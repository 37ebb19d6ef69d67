import { describe, expect, it } from 'vitest';
import { episodeAlertPayload, type AlertEpisode } from './episodeAlertPayload';

const episode: AlertEpisode = {
  id: '17',
  deviceId: 'wks-068',
  deviceName: '<https://evil.example|click> wks',
  processFileName: null,
  firstSeen: '2026-11-10T10:00:00.000000Z',
  lastSeen: '2026-11-10T12:00:00.000000Z',
  hitCount: 3,
  newHits: 3,
  maxConfidence: 'high',
  countryCodes: ['de', 'nl'],
  relayCount: 2,
};

describe('per-episode alert payloads', () => {
  it('names the hit count, escapes Slack control characters and links to the episode', () => {
    const slack = episodeAlertPayload('slack', { matchRunId: 5, episode, publicUrl: 'https://tw.example/' });
    expect(slack.text).toContain('3 hits, high confidence');
    expect(slack.text).toContain('(no process)');
    expect(slack.text).not.toContain('<https://evil');
    expect(JSON.stringify(slack)).toContain('https://tw.example/episodes?device=wks-068&range=90d&episode=17');
  });

  it('escapes Teams Markdown in every value from telemetry, so a device name cannot become a link', () => {
    const named = {
      ...episode,
      deviceName: '[Reset your password](https://evil.test/a)',
      processFileName: '*tor*.exe',
    };
    const teams = episodeAlertPayload('teams', { matchRunId: 5, episode: named, publicUrl: null }) as {
      attachments: Array<{ content: { body: Array<{ text: string }> } }>;
    };
    const texts = teams.attachments[0].content.body.map((block) => block.text).join('\n');
    expect(texts).toContain('\\[Reset your password\\]\\(https://evil.test/a\\)');
    expect(texts).not.toContain('[Reset your password](');
    expect(texts).toContain('\\*tor\\*.exe');
  });

  it('gives scripts the episode as data, and no link without a public URL', () => {
    expect(episodeAlertPayload('generic', { matchRunId: 5, episode, publicUrl: null })).toEqual({
      event: 'torwatch.episode.new',
      matchRunId: 5,
      episode,
      hitCount: 3,
      url: null,
    });
    const teams = episodeAlertPayload('teams', { matchRunId: 5, episode, publicUrl: null });
    expect(JSON.stringify(teams)).toContain('DE, NL');
  });
});
