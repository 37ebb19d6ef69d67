import { isIPv4, isIPv6 } from 'node:net';

/**
 * Canonical text of an IP address (docs/architecture.md §3): IPv4 dotted quad without leading zeros, IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) folded to IPv4, IPv6 compressed lower case (RFC 5952). Brackets and zone ids are not
 * addresses: `[2001:db8::1]` is accepted, `fe80::1%eth0` is not. Returns null for anything that is not an address.
 */
export function canonicalIp(input: string): string | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text === '') return null;
  if (isIPv4(text)) return text;
  if (!isIPv6(text) || text.includes('%')) return null;
  const groups = expandIpv6(text);
  // ::ffff:a.b.c.d — an IPv4 address seen through an IPv6 socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`;
  }
  return compressIpv6(groups);
}

/** True when the canonical address is IPv6. */
export function isCanonicalIpv6(ip: string): boolean {
  return ip.includes(':');
}

function expandIpv6(text: string): number[] {
  let body = text.toLowerCase();
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    const [a, b, c, d] = last.split('.').map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    body = body.slice(0, lastColon + 1) + '0'; // placeholder group, replaced below
  }
  const [head, rest] = body.includes('::') ? body.split('::') : [body, undefined];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const total = 8 - (tail.length ? 1 : 0);
  const missing = total - headGroups.length - restGroups.length;
  const all = [...headGroups, ...Array(rest !== undefined ? missing : 0).fill('0'), ...restGroups];
  const numbers = all.map((g) => parseInt(g, 16));
  if (tail.length) numbers.splice(numbers.length - 1, 1, ...tail);
  return numbers;
}

function compressIpv6(groups: number[]): string {
  // The longest run of two or more zero groups becomes '::' (the first such run on a tie).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Splits `1.2.3.4:9001` or `[2001:db8::1]:443` into a canonical address and a port.
 * Returns null when either half is invalid.
 */
export function parseHostPort(input: string): { ip: string; port: number } | null {
  const text = input.trim();
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0 || text.indexOf(':') !== colon) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  const ip = canonicalIp(host);
  const port = parsePort(portText);
  return ip && port !== null ? { ip, port } : null;
}

/** A TCP/UDP port 0–65535 written as plain decimal digits, else null. */
export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text.trim())) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

const PRIVATE_V4: Array<[number, number]> = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0x64400000, 10],
];

/** RFC 1918 / loopback / link-local / CGNAT IPv4, or ULA / link-local / loopback IPv6: "one of ours". */
export function isPrivateIp(canonical: string): boolean {
  if (!isCanonicalIpv6(canonical)) {
    const n = canonical.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
    return PRIVATE_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
  }
  const first = parseInt(canonical.split(':')[0] || '0', 16);
  return canonical === '::1' || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}
