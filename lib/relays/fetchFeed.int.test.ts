import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPool, getPrisma } from '@/lib/db/client';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { fingerprintOf, onionooDetails, torRelayCsv } from './__fixtures__/relayDocuments';
import { fetchFeed } from './fetchFeed';

useTestDatabase();

const GOOD_CSV = torRelayCsv(
  Array.from({ length: 6 }, (_, n) => ({
    nickname: `r${n}`,
    fingerprint: fingerprintOf(n + 1),
    ip: `192.0.2.${n + 1}`,
    port: 9001,
  })),
);
const ONIONOO = onionooDetails('2026-03-10 12:00:00', [
  { nickname: 'a', fingerprint: fingerprintOf(1), or: ['192.0.2.1:9001'] },
]);
const requests: Array<{ url: string; ifNoneMatch?: string }> = [];
let server: Server;
let base: string;

const routes: Record<string, (res: import('node:http').ServerResponse, ifNoneMatch?: string) => void> = {
  '/relays.csv': (res, ifNoneMatch) => {
    if (ifNoneMatch === '"v1"') return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'text/csv', etag: '"v1"' }).end(GOOD_CSV);
  },
  '/gzip-encoded.csv': (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(GOOD_CSV)),
  '/stored.csv.gz': (res) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(gzipSync(GOOD_CSV)),
  '/missing.csv': (res) => res.writeHead(404, 'Not Found').end('no such file'),
  '/broken.csv': (res) => res.writeHead(500, 'Internal Server Error').end('oops'),
  '/slow.csv': (res) => {
    res.writeHead(200);
    res.write(GOOD_CSV.subarray(0, 100)); /* never ends */
  },
  '/huge.csv': (res) => {
    res.writeHead(200);
    res.end(Buffer.alloc(300_000, 'a'));
  },
  '/truncated.json': (res) => res.writeHead(200).end(ONIONOO.subarray(0, ONIONOO.length - 40)),
  '/login.html': (res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Please sign in</body></html>'),
  '/wrong-header.csv': (res) => res.writeHead(200).end('Name,Address,Port\r\nx,192.0.2.1,9001\r\n'),
  '/bad-rows.csv': (res) =>
    res
      .writeHead(200)
      .end(
        Buffer.concat([
          GOOD_CSV,
          Buffer.from(
            `"bad","${fingerprintOf(90)}","","192.0.2.300","9001","IPv4","","de","False",""\r\n` +
              `"badport","${fingerprintOf(91)}","","192.0.2.77","99999","IPv4","","de","False",""\r\n`,
          ),
        ]),
      ),
  '/empty.csv': (res) => res.writeHead(200).end(''),
  '/moved.csv': (res) => res.writeHead(301, { location: '/relays.csv' }).end(),
  '/to-metadata.csv': (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/to-loop.csv': (res) => res.writeHead(302, { location: '/to-loop.csv' }).end(),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] });
    const route = routes[req.url ?? ''];
    if (route) route(res, req.headers['if-none-match']);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  await resetDatabase();
  requests.length = 0;
});

async function feedAt(path: string, format = 'torrelayips-csv', name = 'torrelayips') {
  await getPrisma().relayFeed.upsert({
    where: { name },
    create: { name, format, url: `${base}${path}` },
    update: { url: `${base}${path}`, format },
  });
  return name;
}

const options = { timeoutMs: 700, maxBytes: 200_000 };
const counts = async () =>
  (
    await getPool().query(
      'SELECT (SELECT count(*)::int FROM relay_snapshot) AS snapshots, (SELECT count(*)::int FROM relay_address) AS addresses',
    )
  ).rows[0];
const feedRow = async (name = 'torrelayips') => getPrisma().relayFeed.findUniqueOrThrow({ where: { name } });

describe('fetchFeed', () => {
  it('imports a feed, then sends its ETag and treats 304 as not modified', async () => {
    const first = await fetchFeed(await feedAt('/relays.csv'), options);
    expect(first).toMatchObject({ status: 'imported', import: { relays: 6, addresses: 6, intervalsAdded: 6 } });
    expect((await feedRow()).etag).toBe('"v1"');
    const second = await fetchFeed('torrelayips', options);
    expect(second).toMatchObject({ status: 'not_modified', message: 'torrelayips: not modified since the last fetch' });
    expect(requests.map((r) => r.ifNoneMatch)).toEqual([undefined, '"v1"']);
    expect(await feedRow()).toMatchObject({ lastStatus: 'not_modified', lastError: null });
    expect(await counts()).toEqual({ snapshots: 1, addresses: 6 });
  });

  it('reads gzip, as Content-Encoding or as a stored .gz file', async () => {
    expect((await fetchFeed(await feedAt('/gzip-encoded.csv'), options)).import?.addresses).toBe(6);
    expect((await fetchFeed(await feedAt('/stored.csv.gz', 'torrelayips-csv', 'gz'), options)).import?.addresses).toBe(
      6,
    );
  });

  it('skips and counts rows with an invalid IP or port', async () => {
    const result = await fetchFeed(await feedAt('/bad-rows.csv'), options);
    expect(result).toMatchObject({ status: 'imported', import: { addresses: 6, rejected: 2 } });
    expect(result.import?.rejects).toEqual([
      { line: 8, field: 'IPAddress', reason: '"192.0.2.300" is not an IP address' },
      { line: 9, field: 'Port', reason: '"99999" is not a port (1-65535)' },
    ]);
  });

  const failures: Array<[string, string, RegExp, string?]> = [
    ['404', '/missing.csv', /the server answered HTTP 404 Not Found; kept the previous data$/],
    ['500', '/broken.csv', /the server answered HTTP 500 Internal Server Error; kept the previous data$/],
    [
      'a body slower than the timeout',
      '/slow.csv',
      /no complete answer within 0\.7 s \(TORWATCH_FEED_TIMEOUT_SECONDS\)/,
    ],
    [
      'a body over the size cap',
      '/huge.csv',
      /larger than the 0\.2 MB cap \(the body went past it\); raise TORWATCH_FEED_MAX_MB/,
    ],
    ['truncated JSON', '/truncated.json', /the JSON ends early — the download looks truncated/, 'onionoo'],
    ['HTML instead of CSV', '/login.html', /looks like HTML, not a relay feed/],
    [
      'a CSV with a wrong header',
      '/wrong-header.csv',
      /line 1: header: expected TorRelayIPs\.csv columns \(Nickname, Fingerprint, …\), got "Name, Address, Port"/,
    ],
    ['an empty file', '/empty.csv', /the document is empty/],
  ];
  for (const [what, path, message, format] of failures) {
    it(`keeps the previous data on ${what}`, async () => {
      const name = format ?? 'torrelayips';
      await feedAt('/relays.csv', 'torrelayips-csv', name);
      await fetchFeed(name, options);
      const before = await counts();
      await feedAt(path, format ?? 'torrelayips-csv', name);
      await getPrisma().relayFeed.update({ where: { name }, data: { etag: null } });
      const result = await fetchFeed(name, options);
      expect(result.status === 'failed' || result.status === 'refused').toBe(true);
      expect(result.message).toMatch(message);
      expect(await counts()).toEqual(before);
      const feed = await feedRow(name);
      expect(feed.lastStatus).toBe('failed');
      expect(feed.lastError).toMatch(message.source.endsWith('data$') ? /the server answered/ : message);
      expect(feed.lastSnapshotId).toBe(1);
    });
  }

  it('refuses a feed on a private address, and every redirect hop into one; follows other redirects', async () => {
    const allowed = process.env.TORWATCH_OUTBOUND_ALLOW;
    try {
      delete process.env.TORWATCH_OUTBOUND_ALLOW; // as in production: loopback is private
      await feedAt('/relays.csv');
      const refused = await fetchFeed('torrelayips', options);
      expect(refused.message).toBe(`torrelayips: ${base}/relays.csv: refused: private address; kept the previous data`);
      expect(requests).toEqual([]);
    } finally {
      process.env.TORWATCH_OUTBOUND_ALLOW = allowed;
    }
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    try {
      await feedAt('/to-metadata.csv');
      expect((await fetchFeed('torrelayips', options)).message).toMatch(/to-metadata\.csv: refused: private address;/);
      await feedAt('/to-loop.csv');
      expect((await fetchFeed('torrelayips', options)).message).toMatch(/refused: too many redirects;/);
      await feedAt('/moved.csv');
      expect((await fetchFeed('torrelayips', options)).status).toBe('imported');
    } finally {
      process.env.TORWATCH_OUTBOUND_ALLOW = allowed;
    }
  });

  it('skips a disabled feed unless asked for it by name', async () => {
    await feedAt('/relays.csv');
    await getPrisma().relayFeed.update({ where: { name: 'torrelayips' }, data: { enabled: false } });
    expect((await fetchFeed('torrelayips', options)).status).toBe('disabled');
    expect(requests).toEqual([]);
    expect((await fetchFeed('torrelayips', { ...options, includeDisabled: true })).status).toBe('imported');
  });

  it('names the configured feeds when asked for an unknown one', async () => {
    await feedAt('/relays.csv');
    await expect(fetchFeed('nope', options)).rejects.toThrow('unknown relay feed "nope" (configured: torrelayips)');
  });
});
