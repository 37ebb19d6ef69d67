import { BlockList, isIP } from 'node:net';
import { canonicalIp } from './ip';

// Which addresses a server-side request may reach. Refused: everything that is not the public internet — loopback,
// RFC 1918, link-local (and with it the cloud metadata service 169.254.169.254), CGNAT, unspecified, 0.0.0.0/8,
// documentation, benchmarking, multicast and reserved ranges, IPv6 ULA (fd00:ec2::254, the EC2 metadata address over
// IPv6), and IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4), judged by that IPv4 address.

const REFUSED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
];

const REFUSED_V6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: the IPv4 inside is obfuscated, refuse the range
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['fc00::', 7], // unique local, includes fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

// Two lists: a BlockList judges an IPv4 address against its IPv6 rules too (as ::ffff:a.b.c.d).
const refusedV4 = new BlockList();
const refusedV6 = new BlockList();
for (const [network, bits] of REFUSED_V4) refusedV4.addSubnet(network, bits, 'ipv4');
for (const [network, bits] of REFUSED_V6) refusedV6.addSubnet(network, bits, 'ipv6');

/** The IPv4 address an IPv6 address carries (NAT64 64:ff9b::/96, 6to4 2002::/16), else null. */
function embeddedIpv4(ipv6: string): string | null {
  const groups = expand(ipv6);
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0))
    return quad(groups[6], groups[7]);
  if (groups[0] === 0x2002) return quad(groups[1], groups[2]);
  return null;
}

function expand(ipv6: string): number[] {
  const [head, tail] = ipv6.includes('::') ? ipv6.split('::') : [ipv6, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
}

/** Why the address is refused ("private address"), or null when it is a public internet address. */
export function refusedAddressReason(address: string): string | null {
  const ip = canonicalIp(address);
  if (!ip) return 'not an address';
  // canonicalIp folds IPv4-mapped (::ffff:a.b.c.d) to IPv4.
  if (isIP(ip) === 4) return refusedV4.check(ip, 'ipv4') ? 'private address' : null;
  if (refusedV6.check(ip, 'ipv6')) return 'private address';
  const inner = embeddedIpv4(ip);
  return inner && refusedV4.check(inner, 'ipv4') ? 'private address' : null;
}

export interface OutboundAllowList {
  addresses: BlockList;
  hosts: string[]; // lower case; ".corp.example" allows every name under corp.example
  isEmpty: boolean;
}

/**
 * TORWATCH_OUTBOUND_ALLOW: comma-separated CIDRs (10.1.2.0/24, fd12::/64), single addresses or host names that an
 * admin allows despite the rules above (an internal mirror; tests set 127.0.0.1/32). A bad entry is an error that
 * names it, so a typo does not silently allow nothing.
 */
export function parseOutboundAllow(text: string | undefined): OutboundAllowList {
  const addresses = new BlockList();
  const hosts: string[] = [];
  let count = 0;
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    count++;
    const [network, bitsText, extra] = entry.split('/');
    const ip = canonicalIp(network);
    if (ip && extra === undefined) {
      const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
      const max = family === 'ipv4' ? 32 : 128;
      const bits = bitsText === undefined ? max : Number(bitsText);
      if (!/^\d{1,3}$/.test(bitsText ?? String(max)) || bits > max)
        throw new Error(`TORWATCH_OUTBOUND_ALLOW: "${raw.trim()}" has a bad prefix length (0–${max})`);
      addresses.addSubnet(ip, bits, family);
    } else if (/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(entry)) {
      hosts.push(entry.replace(/\.$/, ''));
    } else {
      throw new Error(`TORWATCH_OUTBOUND_ALLOW: "${raw.trim()}" is neither a CIDR, an address nor a host name`);
    }
  }
  return { addresses, hosts, isEmpty: count === 0 };
}

export function allowsHost(allow: OutboundAllowList, hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return allow.hosts.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry));
}

export function allowsAddress(allow: OutboundAllowList, address: string): boolean {
  const ip = canonicalIp(address);
  if (!ip) return false;
  return allow.addresses.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}
