import { BlockList, isIP } from 'node:net';
import { env } from '@/lib/env';
import { refusedAddressReason } from '@/lib/net/addressPolicy';

// Which addresses a relay list may declare (issue 14, "Relay data can be poisoned"): a Tor relay is reachable on the
// public internet, so private, loopback, link-local, CGNAT, multicast, reserved and unspecified addresses are
// rejected as relay addresses — declaring 10.0.0.0/8 an exit would turn internal traffic into hits. Documentation
// ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are rejected too, except in TorWatch's own
// demo data (which passes acceptDocumentationAddresses) and where TORWATCH_RELAY_DOCUMENTATION_ADDRESSES=accept — the
// test suites set it, because their fixtures use these ranges precisely so that no real traffic can ever match.

export interface RelayAddressPolicy {
  acceptDocumentationAddresses?: boolean;
}

const documentationV4 = new BlockList();
for (const network of ['192.0.2.0', '198.51.100.0', '203.0.113.0']) documentationV4.addSubnet(network, 24, 'ipv4');
const documentationV6 = new BlockList();
documentationV6.addSubnet('2001:db8::', 32, 'ipv6');
documentationV6.addSubnet('3fff::', 20, 'ipv6');

export function isDocumentationAddress(ip: string): boolean {
  return isIP(ip) === 4 ? documentationV4.check(ip, 'ipv4') : documentationV6.check(ip, 'ipv6');
}

/** Why a canonical address cannot be a relay's ("a private address"), or null. */
export function relayAddressRefusal(ip: string, policy: RelayAddressPolicy = {}): string | null {
  if (isDocumentationAddress(ip)) {
    const accept = policy.acceptDocumentationAddresses ?? env('TORWATCH_RELAY_DOCUMENTATION_ADDRESSES') === 'accept';
    return accept ? null : 'a documentation address';
  }
  return refusedAddressReason(ip) ? 'a private, loopback or reserved address' : null;
}
