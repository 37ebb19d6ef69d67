import { describe, expect, it } from 'vitest';
import { blobEndpointOf, validInterval } from './addConnector';
import { isStalled, nextRunAt } from './connectorJobs';
import { WholeLines } from './ingestPiece';
import { formatLag } from './runConnector';
import { stalledPayload } from './notifyStalled';
import type { Connector } from './types';

async function collect(lines: WholeLines, pieces: string[]): Promise<string> {
  let out = '';
  for await (const chunk of lines.through(
    (async function* () {
      for (const piece of pieces) yield Buffer.from(piece);
    })(),
  ))
    out += chunk.toString();
  return out;
}

describe('WholeLines', () => {
  it('passes bytes up to the last newline and holds a cut record back', async () => {
    const lines = new WholeLines();
    expect(await collect(lines, ['{"a":1}\n{"b"', ':2}\n{"c":', '3'])).toBe('{"a":1}\n{"b":2}\n');
    expect(lines.consumed()).toBe(16);
    expect(lines.lines()).toBe(2);
  });

  it('counts the complete lines passed, a line held over several chunks once', async () => {
    const lines = new WholeLines();
    expect(await collect(lines, ['a', 'b', 'c\nd\n\ne', 'f'])).toBe('abc\nd\n\n');
    expect([lines.consumed(), lines.lines()]).toEqual([7, 3]);
  });

  it('passes nothing when no line is complete, and the tail too when the file is final', async () => {
    const open = new WholeLines();
    expect(await collect(open, ['{"a":', '1}'])).toBe('');
    expect(open.consumed()).toBe(0);
    const final = new WholeLines(true);
    expect(await collect(final, ['x\ny'])).toBe('x\ny');
    expect(final.consumed()).toBe(3);
  });
});

const connector = (over: Partial<Connector>): Connector => ({
  id: 1,
  name: 'c',
  kind: 'zeek-folder',
  config: { path: '/x' },
  paused: false,
  intervalMinutes: 5,
  lastRunAt: null,
  lastSuccessAt: null,
  lastError: null,
  lastErrorAt: null,
  failures: 0,
  newestEventAt: null,
  stalledNotifiedAt: null,
  createdAt: new Date('2026-11-30T10:00:00Z'),
  ...over,
});

describe('schedule', () => {
  it('runs a new connector at once, then every interval, backing off after failures up to an hour', () => {
    expect(nextRunAt(connector({}))?.getTime()).toBe(0);
    const lastRunAt = new Date('2026-11-30T12:00:00Z');
    expect(nextRunAt(connector({ lastRunAt }))?.toISOString()).toBe('2026-11-30T12:05:00.000Z');
    expect(nextRunAt(connector({ lastRunAt, failures: 2 }))?.toISOString()).toBe('2026-11-30T12:20:00.000Z');
    expect(nextRunAt(connector({ lastRunAt, failures: 9 }))?.toISOString()).toBe('2026-11-30T13:00:00.000Z');
    expect(nextRunAt(connector({ lastRunAt, paused: true }))).toBeNull();
  });

  it('calls a connector stalled after three intervals without a success, never a paused one', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(isStalled(connector({ lastSuccessAt: new Date(now - 14 * 60_000) }), now)).toBe(false);
    expect(isStalled(connector({ lastSuccessAt: new Date(now - 16 * 60_000) }), now)).toBe(true);
    expect(isStalled(connector({ createdAt: new Date(now - 16 * 60_000) }), now)).toBe(true);
    expect(isStalled(connector({ paused: true }), now)).toBe(false);
  });
});

describe('stalled message', () => {
  it('escapes the last error (a remote server wrote it) in Slack and Teams, so it cannot become a link', () => {
    const stalled = connector({ lastError: 'HTTP 401 <https://evil.test|sign in> [again](https://evil.test)' });
    const slack = JSON.stringify(stalledPayload('slack', stalled));
    expect(slack).toContain('&lt;https://evil.test|sign in&gt;');
    expect(slack).not.toContain('<https://evil.test|sign in>');
    const teams = JSON.stringify(stalledPayload('teams', stalled));
    expect(teams).toContain('\\\\[again\\\\]\\\\(https://evil.test\\\\)');
    expect(stalledPayload('generic', stalled)).toMatchObject({ lastError: stalled.lastError });
  });
});

describe('formatLag and blob endpoints', () => {
  it('formats lag compactly', () => {
    expect([null, 4_000, 12 * 60_000, (5 * 60 + 20) * 60_000, 52 * 3_600_000].map(formatLag)).toEqual([
      '-',
      '4s',
      '12m',
      '5h20m',
      '2d4h',
    ]);
  });

  it('takes an interval of 1 to 1440 whole minutes, as a number or as the text of a form field', () => {
    expect([validInterval(1), validInterval(1440), validInterval('15'), validInterval(' 30 ')]).toEqual([
      1, 1440, 15, 30,
    ]);
    for (const bad of [0, 1441, 2.5, -3, NaN, '0', '2.5', 'ten', '', '1e2', null, undefined])
      expect(() => validInterval(bad), String(bad)).toThrow('the interval is a whole number of minutes from 1 to 1440');
  });

  it('finds the blob endpoint of a connection string', () => {
    expect(
      blobEndpointOf('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net'),
    ).toBe('https://acct.blob.core.windows.net');
    expect(blobEndpointOf('AccountName=x;AccountKey=k;BlobEndpoint=http://127.0.0.1:1/x/')).toBe(
      'http://127.0.0.1:1/x',
    );
    expect(blobEndpointOf('nothing here')).toBeNull();
  });
});
