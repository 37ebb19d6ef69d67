import { describe, expect, it } from 'vitest';
import { alertPayload, type AlertHit } from './alertPayload';

// Relay nicknames come from relay lists and device/process names from telemetry: neither may become a link or
// formatting in the channel a webhook posts to.
const hostile: AlertHit = {
  id: '1',
  ts: '2026-11-30T10:00:00Z',
  deviceId: 'wks-1',
  deviceName: '[Reset your password](https://evil.test/a)',
  processFileName: '*urgent*_now_.exe',
  remoteIp: '185.220.101.1',
  remotePort: 9001,
  direction: 'outbound',
  relayNicknames: ['[click](https://evil.test/b)', '<https://evil.test/c|login>'],
  country: 'de',
  confidence: 'high',
};
const batch = { matchRunId: 7, total: 1, hits: [hostile], publicUrl: null };

describe('alertPayload', () => {
  it('escapes Markdown links and emphasis in Teams cards, in nicknames and names alike', () => {
    const card = alertPayload('teams', batch) as { attachments: Array<{ content: { body: Array<{ text: string }> } }> };
    const line = card.attachments[0].content.body[1].text;
    expect(line).toContain('\\[click\\]\\(https://evil.test/b\\)');
    expect(line).toContain('\\[Reset your password\\]\\(https://evil.test/a\\)');
    expect(line).toContain('\\*urgent\\*\\_now\\_.exe');
    expect(line).toContain('\\<https://evil.test/c|login\\>');
    expect(line).not.toMatch(/(^|[^\\])\[click\]/);
  });

  it('escapes Slack link syntax in nicknames', () => {
    const text = JSON.stringify(alertPayload('slack', batch));
    expect(text).toContain('&lt;https://evil.test/c|login&gt;');
    expect(text).not.toContain('<https://evil.test/c|login>');
  });

  it('leaves the generic payload as data', () => {
    expect((alertPayload('generic', batch) as { hits: AlertHit[] }).hits[0].relayNicknames[0]).toBe(
      '[click](https://evil.test/b)',
    );
  });
});
