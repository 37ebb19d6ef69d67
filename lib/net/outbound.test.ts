import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkOutboundUrl, guardedAgent, guardedFetch, OutboundRefusedError, pinnedDispatcher } from './outbound';

// Real loopback servers. Loopback is refused unless TORWATCH_OUTBOUND_ALLOW lists it, which each test sets.
let server: Server;
let base: string;
let port: number;
const seen: Array<{ method?: string; url?: string; host?: string; authorization?: string; body: string }> = [];
const savedAllow = process.env.TORWATCH_OUTBOUND_ALLOW;

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({
      method: req.method,
      url: req.url,
      host: req.headers.host,
      authorization: req.headers.authorization,
      body,
    });
    const url = new URL(req.url ?? '/', 'http://x');
    const to = url.searchParams.get('to');
    if (url.pathname === '/redirect' && to)
      return res.writeHead(Number(url.searchParams.get('code') ?? 302), { location: to }).end();
    if (url.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (url.pathname === '/big') return res.end(Buffer.alloc(4 * 1024 * 1024, 97));
    if (url.pathname === '/missing') return res.writeHead(404).end('secret internal page');
    res.end(`hello ${req.method} ${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  seen.length = 0;
  if (savedAllow === undefined) delete process.env.TORWATCH_OUTBOUND_ALLOW;
  else process.env.TORWATCH_OUTBOUND_ALLOW = savedAllow;
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no refusal',
    (error: Error) => `${error.name}: ${error.message}`,
  );

describe('checkOutboundUrl', () => {
  it('refuses loopback, private, metadata and IPv4-mapped targets, however written', async () => {
    delete process.env.TORWATCH_OUTBOUND_ALLOW;
    for (const url of [
      'http://127.0.0.1/',
      'http://localhost/',
      'http://2130706433/', // 127.0.0.1 as one number
      'http://0x7f.1/',
      'http://0.0.0.0/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://100.100.100.200/', // CGNAT (Alibaba metadata)
    ]) {
      expect(await refusal(checkOutboundUrl(url)), url).toBe('OutboundRefusedError: refused: private address');
    }
    expect(await refusal(checkOutboundUrl('file:///etc/passwd'))).toBe(
      'OutboundRefusedError: refused: not an http(s) URL',
    );
    expect(await checkOutboundUrl('https://93.184.215.14/x')).toMatchObject({ address: '93.184.215.14' });
  });

  it('lets an allowed CIDR or host name through', async () => {
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    expect((await checkOutboundUrl(`${base}/`)).address).toBe('127.0.0.1');
    expect(await refusal(checkOutboundUrl('http://127.0.0.2/'))).toMatch(/private address/);
    process.env.TORWATCH_OUTBOUND_ALLOW = 'localhost';
    expect(await refusal(checkOutboundUrl('http://localhost/'))).toBe('no refusal');
  });
});

describe('guardedFetch', () => {
  it('refuses before connecting, and fetches once the address is allowed', async () => {
    delete process.env.TORWATCH_OUTBOUND_ALLOW;
    expect(await refusal(guardedFetch(`${base}/`))).toBe('OutboundRefusedError: refused: private address');
    expect(seen).toEqual([]);
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    const response = await guardedFetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(await response.text()).toBe('hello POST x');
    // The pinned dispatcher closes gracefully: a large body still arrives whole after fetch() returned.
    const big = await guardedFetch(`${base}/big`);
    expect((await big.arrayBuffer()).byteLength).toBe(4 * 1024 * 1024);
  });

  it('checks every redirect hop: a public-looking start cannot bounce into the private network', async () => {
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    for (const to of [
      'http://169.254.169.254/latest/meta-data/',
      `http://127.0.0.2:${port}/`,
      `http://[::1]:${port}/`,
    ]) {
      expect(await refusal(guardedFetch(`${base}/redirect?to=${encodeURIComponent(to)}`)), to).toBe(
        'OutboundRefusedError: refused: private address',
      );
    }
    expect(seen.map((s) => s.url?.split('?')[0])).toEqual(['/redirect', '/redirect', '/redirect']);
  });

  it('caps redirects (default 5) and follows allowed ones with the method rules of fetch', async () => {
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    expect(await refusal(guardedFetch(`${base}/loop`))).toBe('OutboundRefusedError: refused: too many redirects');
    expect(seen).toHaveLength(6);
    seen.length = 0;
    expect(await refusal(guardedFetch(`${base}/loop`, { maxRedirects: 1 }))).toMatch(/too many redirects/);
    expect(seen).toHaveLength(2);

    const r307 = await guardedFetch(`${base}/redirect?code=307&to=/echo`, { method: 'POST', body: 'kept' });
    expect(await r307.text()).toBe('hello POST kept');
    const r303 = await guardedFetch(`${base}/redirect?code=303&to=/echo`, { method: 'POST', body: 'dropped' });
    expect(await r303.text()).toBe('hello GET ');
    // Credentials do not follow a redirect to another origin (localhost is another origin than 127.0.0.1).
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32,::1/128';
    seen.length = 0;
    await guardedFetch(`${base}/redirect?to=${encodeURIComponent(`http://localhost:${port}/echo`)}`, {
      headers: { authorization: 'Bearer t' },
    }).then((r) => r.text());
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t', undefined]);
    // redirect: 'manual' hands the 3xx back.
    const manual = await guardedFetch(`${base}/loop`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
  });

  it('returns an error status as a response (callers report "HTTP 404", not the body)', async () => {
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    const response = await guardedFetch(`${base}/missing`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });

  it('times out over the whole exchange', async () => {
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      expect(await refusal(guardedFetch(url, { timeoutMs: 200 }))).toMatch(/TimeoutError/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('pinning', () => {
  it('connects to the checked address whatever the name resolves to, keeping the name in Host', async () => {
    // rebind.torwatch.invalid resolves nowhere: only the pinned address can have been used.
    const response = await undiciFetch(`http://rebind.torwatch.invalid:${port}/`, {
      dispatcher: pinnedDispatcher('127.0.0.1'),
    });
    expect(await response.text()).toBe('hello GET ');
    expect(seen[0].host).toBe(`rebind.torwatch.invalid:${port}`);
  });

  it('gives libraries with their own HTTP stack an agent under the same rule', async () => {
    delete process.env.TORWATCH_OUTBOUND_ALLOW;
    const outcome = (url: string) =>
      new Promise<string>((resolve) => {
        get(url, { agent: guardedAgent('http:') }, (res) => {
          res.resume();
          resolve(`HTTP ${res.statusCode}`);
        }).on('error', (error) => resolve(`${error.name}: ${error.message}`));
      });
    expect(await outcome(`${base}/`)).toBe('OutboundRefusedError: refused: private address');
    expect(await outcome(`http://localhost:${port}/`)).toMatch(/refused: private address/);
    expect(seen).toEqual([]);
    process.env.TORWATCH_OUTBOUND_ALLOW = '127.0.0.1/32';
    expect(await outcome(`${base}/`)).toBe('HTTP 200');
  });

  it('is an Error a caller can tell apart', () => {
    expect(new OutboundRefusedError('refused: private address')).toBeInstanceOf(Error);
  });
});
