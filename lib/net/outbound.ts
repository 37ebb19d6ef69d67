import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';
import {
  allowsAddress,
  allowsHost,
  parseOutboundAllow,
  refusedAddressReason,
  type OutboundAllowList,
} from './addressPolicy';
import { canonicalIp } from './ip';
import { proxyFor } from './proxyFor';
import { env } from '@/lib/env';

// Every server-side request to a URL someone configured (relay feeds, webhooks, connectors, SMTP) goes through here:
// the host is resolved once, every address it resolves to is judged (lib/net/addressPolicy.ts), and the connection is
// made to the address that was judged — a DNS answer that changes between check and connect changes nothing.
// Redirects are followed by hand, each hop judged again, at most maxRedirects (default 5). Error messages are safe to
// show: "refused: private address", "refused: too many redirects" — never bytes that came back.

export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

export interface CheckedUrl {
  url: URL;
  address: string;
}

let allowCache: { text: string; list: OutboundAllowList } | null = null;

function outboundAllow(): OutboundAllowList {
  const text = env('TORWATCH_OUTBOUND_ALLOW') ?? '';
  if (allowCache?.text !== text) allowCache = { text, list: parseOutboundAllow(text) };
  return allowCache.list;
}

function judge(hostAllowed: boolean, address: string): void {
  if (hostAllowed || allowsAddress(outboundAllow(), address)) return;
  const reason = refusedAddressReason(address);
  if (reason) throw new OutboundRefusedError(`refused: ${reason}`);
}

/** Resolves a host name (or takes an address literal) and judges every address; returns the one to connect to. */
export async function checkOutboundHost(hostname: string): Promise<{ address: string; family: 4 | 6 }> {
  const literal = canonicalIp(hostname);
  if (literal) {
    judge(false, literal);
    return { address: literal, family: isIP(literal) as 4 | 6 };
  }
  const hostAllowed = allowsHost(outboundAllow(), hostname);
  let addresses: LookupAddress[];
  try {
    addresses = await dnsLookupAsync(hostname, { all: true, verbatim: true });
  } catch (error) {
    throw new OutboundRefusedError(`host not found: ${hostname} (${(error as NodeJS.ErrnoException).code ?? 'DNS'})`);
  }
  if (!addresses.length) throw new OutboundRefusedError(`host not found: ${hostname}`);
  // One refused address refuses the name: a mixed answer is how rebinding attacks start.
  for (const { address } of addresses) judge(hostAllowed, address);
  const { address, family } = addresses[0];
  return { address: canonicalIp(address) ?? address, family: family as 4 | 6 };
}

/** An http(s) URL whose host resolves only to addresses a server-side request may reach. */
export async function checkOutboundUrl(input: string | URL): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new OutboundRefusedError('refused: not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundRefusedError('refused: not an http(s) URL');
  const { address } = await checkOutboundHost(url.hostname);
  return { url, address };
}

/** A dns.lookup replacement that answers with one address already checked: the connection goes exactly there. */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (typeof options === 'function') [options, callback] = [{}, options];
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

/**
 * A dns.lookup replacement that resolves and judges at connect time, for libraries that make their own connections
 * (Node http(s) agents, nodemailer's `lookup`, SDK pipelines): the address handed to connect() is the address judged.
 */
export const guardedLookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
  if (typeof options === 'function') [options, callback] = [{}, options as typeof callback];
  const all = Boolean((options as { all?: boolean } | null)?.all);
  checkOutboundHost(hostname).then(
    ({ address, family }) => (all ? callback(null, [{ address, family }]) : callback(null, address, family)),
    (error: Error) => callback(Object.assign(error, { code: 'EOUTBOUNDREFUSED' })),
  );
}) as unknown as LookupFunction;

/**
 * Node http/https agents that apply the same rule to every connection (host names through guardedLookup, address
 * literals, which skip lookup, judged before connecting) — for libraries that take an `agent`.
 */
export function guardedAgent(protocol: 'http:' | 'https:'): http.Agent {
  const Base = protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new Base({ lookup: guardedLookup, keepAlive: true });
  const create = (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection;
  (agent as unknown as { createConnection: unknown }).createConnection = function (
    options: { host?: string },
    ...rest: unknown[]
  ) {
    const literal = canonicalIp(options.host ?? '');
    try {
      if (literal) judge(false, literal);
    } catch (error) {
      // Through the agent's callback the request emits it as 'error' (a throw here would escape http.get()).
      const callback = rest.at(-1);
      if (typeof callback !== 'function') throw error;
      process.nextTick(callback as (e: Error) => void, error);
      return undefined;
    }
    return create.call(this, options, ...rest);
  };
  return agent;
}

/** A dispatcher that connects only to the checked address, keeping the URL's host for SNI, certificates and Host. */
export function pinnedDispatcher(address: string): Agent {
  return new Agent({ connect: { lookup: pinnedLookup(address) }, connections: 1, pipelining: 1 });
}

export type GuardedRequestInit = RequestInit & { timeoutMs?: number; maxRedirects?: number };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * fetch() under the outbound rule. `redirect: 'manual'` returns a 3xx as it is; otherwise redirects are followed
 * (each hop checked, at most maxRedirects). `timeoutMs` bounds the whole exchange, redirects included.
 * HTTP(S)_PROXY/NO_PROXY are honoured: through a proxy the proxy connects (and resolves), so here only the address
 * literals and names that resolve locally are judged — the proxy's own egress rules guard the rest.
 */
export async function guardedFetch(input: string | URL, init: GuardedRequestInit = {}): Promise<Response> {
  const { timeoutMs, maxRedirects = 5, redirect = 'follow', signal: callerSignal, ...rest } = init;
  const signals = [callerSignal, timeoutMs ? AbortSignal.timeout(timeoutMs) : null].filter(Boolean) as AbortSignal[];
  const signal = signals.length ? AbortSignal.any(signals) : undefined;
  let url = new URL(String(input));
  let method = (rest.method ?? 'GET').toUpperCase();
  let body = rest.body;
  const headers = new Headers(rest.headers);
  for (let hop = 0; ; hop++) {
    const dispatcher = await dispatcherFor(url);
    let response: Response;
    try {
      response = (await undiciFetch(url, {
        ...(rest as object),
        method,
        body,
        headers: Object.fromEntries(headers),
        redirect: 'manual',
        signal,
        dispatcher,
      } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
    } catch (error) {
      void dispatcher.destroy().catch(() => {});
      throw error;
    }
    void dispatcher.close().catch(() => {}); // graceful: the body still streams, then the socket closes
    const location = response.headers.get('location');
    if (redirect === 'manual' || !REDIRECTS.has(response.status) || !location) return response;
    await response.body?.cancel().catch(() => {});
    if (redirect === 'error') throw new OutboundRefusedError(`refused: redirected (HTTP ${response.status})`);
    if (hop >= maxRedirects) throw new OutboundRefusedError('refused: too many redirects');
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new OutboundRefusedError('refused: redirect to a URL that is not http(s)');
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers.delete('content-type');
      headers.delete('content-length');
    }
    // Credentials meant for one origin are not handed to another.
    if (next.origin !== url.origin)
      for (const h of ['authorization', 'cookie', 'proxy-authorization']) headers.delete(h);
    url = next;
  }
}

async function dispatcherFor(url: URL): Promise<Dispatcher> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundRefusedError('refused: not an http(s) URL');
  const proxy = proxyFor(url);
  if (!proxy) return pinnedDispatcher((await checkOutboundUrl(url)).address);
  try {
    await checkOutboundHost(url.hostname);
  } catch (error) {
    // A name only the proxy can resolve is the proxy's to judge; a refused address is refused here too.
    if ((error as Error).message.startsWith('refused:')) throw error;
  }
  return new ProxyAgent({ uri: proxy, proxyTunnel: true }); // CONNECT for http too, as Node's own proxy support does
}
