import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { relayHistoryCoverage, type RelayHistoryCoverage } from '@/lib/relays/archive/relayHistoryCoverage';
import { authoriseQuery } from '@/lib/auth/authorise';

export type { RelayHistoryCoverage } from '@/lib/relays/archive/relayHistoryCoverage';

/** The period the relay history (consensus hours) covers against the telemetry's (viewer+). */
export async function getRelayHistoryCoverage(actor: Actor): Promise<RelayHistoryCoverage> {
  authoriseQuery(actor, 'viewer');
  return relayHistoryCoverage();
}
