import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadRelayDocument } from './downloadRelayDocument';

// HTTP_PROXY / NO_PROXY: the guarded fetch tunnels through the proxy with CONNECT; this local proxy records the target
// (a host that does not exist) and tunnels to a local feed server instead.
let proxy: Server;
let feed: Server;
let proxyUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  feed = createServer((_req, res) => res.end('198.51.100.1\n198.51.100.2\n'));
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  const feedPort = (feed.address() as AddressInfo).port;
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    seen.push(req.url ?? '');
    const upstream = connect(feedPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const server of [proxy, feed]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('downloadRelayDocument through a proxy', () => {
  it('sends feed requests through HTTP_PROXY', async () => {
    const saved = {
      HTTP_PROXY: process.env.HTTP_PROXY,
      NO_PROXY: process.env.NO_PROXY,
      TORWATCH_OFFLINE: process.env.TORWATCH_OFFLINE,
    };
    // The only server contacted is the local proxy (a .invalid host cannot resolve anyway).
    delete process.env.TORWATCH_OFFLINE;
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = 'localhost';
    try {
      const download = await downloadRelayDocument('http://feeds.torwatch.invalid/torbulkexitlist', {
        timeoutMs: 5000,
      });
      expect(download.notModified).toBe(false);
      expect(download.notModified ? '' : download.body.toString()).toBe('198.51.100.1\n198.51.100.2\n');
      expect(seen).toEqual(['feeds.torwatch.invalid:80']);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
