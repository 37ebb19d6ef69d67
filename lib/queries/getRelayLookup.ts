import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { lookupRelayAddress, type RelayLookup } from '@/lib/relays/lookupRelayAddress';
import { authoriseQuery } from '@/lib/auth/authorise';

export type { RelayLookup } from '@/lib/relays/lookupRelayAddress';

/** "Was this address a Tor relay at that time, and which?" — the matcher's rule, grace included (viewer+). */
export async function getRelayLookup(actor: Actor, ip: string, at: Date): Promise<RelayLookup> {
  authoriseQuery(actor, 'viewer');
  return lookupRelayAddress(ip, at);
}
