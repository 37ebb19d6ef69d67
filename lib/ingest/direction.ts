import { isPrivateIp } from '@/lib/net/ip';
import type { Direction } from './types';

// docs/architecture.md §7.3: the direction a Defender ActionType implies.
const DEFENDER_DIRECTIONS: ReadonlyMap<string, Direction> = new Map([
  ['ConnectionSuccess', 'outbound'],
  ['ConnectionFailed', 'outbound'],
  ['ConnectionRequest', 'outbound'],
  ['ConnectionAttempt', 'outbound'],
  ['InboundConnectionAccepted', 'inbound'],
  ['ListeningConnectionCreated', 'listening'],
]);

/** Direction of a Defender DeviceNetworkEvents row from its ActionType; `unknown` for the rest. */
export function defenderDirection(actionType: string | null): Direction {
  return (actionType !== null && DEFENDER_DIRECTIONS.get(actionType)) || 'unknown';
}

/**
 * Direction of a Zeek connection: outbound when the originator is one of ours. Zeek's `local_orig` says so when
 * `Site::local_nets` is configured (true/false, or null when unset); otherwise a private originator counts as local.
 */
export function zeekDirection(localOrig: boolean | null, originatorIp: string): 'outbound' | 'inbound' {
  const local = localOrig ?? isPrivateIp(originatorIp);
  return local ? 'outbound' : 'inbound';
}
