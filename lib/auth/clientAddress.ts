import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { env } from '@/lib/env';

// Who is on the other end of a request (issue #14). The address comes from the TCP socket, which only the web
// server (bin/web-server.mjs) sees: it drops any incoming PEER_HEADER and stamps its own, "<secret> <address>", with
// a secret it generated at start and put in TORWATCH_PEER_SECRET. A request without a valid stamp (`next dev`, or a
// header a client made up) has no known address. X-Forwarded-For and X-Forwarded-Proto count only when that socket
// address is in TORWATCH_TRUSTED_PROXIES (comma-separated CIDRs or addresses; empty by default, so not even
// loopback is trusted until listed).
export const PEER_HEADER = 'x-torwatch-peer';
export const UNKNOWN_ADDRESS = 'unknown';

export class TrustedProxiesError extends Error {}

let cached: { source: string; list: BlockList } | null = null;

/** TORWATCH_TRUSTED_PROXIES as a block list; throws naming the bad entry. */
export function trustedProxies(source = env('TORWATCH_TRUSTED_PROXIES') ?? ''): BlockList {
  if (cached?.source === source) return cached.list;
  const list = new BlockList();
  for (const raw of source.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (
      !family ||
      extra !== undefined ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 6 ? 128 : 32) ||
      (bits !== undefined && !/^\d+$/.test(bits))
    )
      throw new TrustedProxiesError(
        `TORWATCH_TRUSTED_PROXIES: "${entry}" is not an address or CIDR (e.g. 10.0.0.0/8, 127.0.0.1, ::1/128)`,
      );
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  cached = { source, list };
  return list;
}

/** ::ffff:192.0.2.1 → 192.0.2.1; brackets and zone ids dropped; null when it is not an IP address. */
export function normaliseAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  let address = value.trim();
  if (address.startsWith('[')) address = address.slice(1, address.indexOf(']') > 0 ? address.indexOf(']') : undefined);
  address = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1];
  return isIP(address) ? address.toLowerCase() : null;
}

function isTrusted(address: string, list: BlockList): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** The header value the web server stamps: only this process's secret makes it count. */
export function peerStamp(address: string, secret = env('TORWATCH_PEER_SECRET') ?? ''): string {
  return `${secret} ${address}`;
}

/** The socket address stamped by bin/web-server.mjs, or null when the request carries no valid stamp. */
export function peerAddress(headers: Headers): string | null {
  const secret = env('TORWATCH_PEER_SECRET');
  const stamp = headers.get(PEER_HEADER);
  if (!secret || !stamp) return null;
  const space = stamp.indexOf(' ');
  if (space < 0) return null;
  const given = Buffer.from(stamp.slice(0, space));
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return normaliseAddress(stamp.slice(space + 1));
}

/**
 * The client's address: the socket's, or — when the socket is a trusted proxy — the right-most X-Forwarded-For entry
 * that is not itself a trusted proxy (proxies append, so entries left of it are whatever the client sent).
 */
export function clientAddress(headers: Headers): string {
  const peer = peerAddress(headers);
  if (!peer) return UNKNOWN_ADDRESS;
  const proxies = trustedProxies();
  if (!isTrusted(peer, proxies)) return peer;
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => normaliseAddress(part))
    .filter((part): part is string => part !== null);
  for (let i = chain.length - 1; i >= 0; i--) if (!isTrusted(chain[i], proxies)) return chain[i];
  return chain[0] ?? peer;
}

/** True when the request reached a trusted proxy over TLS (its X-Forwarded-Proto says https). */
export function arrivedOverTls(headers: Headers): boolean {
  const peer = peerAddress(headers);
  if (!peer || !isTrusted(peer, trustedProxies())) return false;
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** The address to record in the audit log: the same client address, null when unknown. */
export function auditAddress(headers: Headers | undefined | null): string | null {
  if (!headers) return null;
  const address = clientAddress(headers);
  return address === UNKNOWN_ADDRESS ? null : address;
}
