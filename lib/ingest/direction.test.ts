import { describe, expect, it } from 'vitest';
import { defenderDirection, zeekDirection } from './direction';

describe('defenderDirection', () => {
  it.each([
    ['ConnectionSuccess', 'outbound'],
    ['ConnectionFailed', 'outbound'],
    ['ConnectionRequest', 'outbound'],
    ['ConnectionAttempt', 'outbound'],
    ['InboundConnectionAccepted', 'inbound'],
    ['ListeningConnectionCreated', 'listening'],
    ['ConnectionFound', 'unknown'],
    ['DnsConnectionInspected', 'unknown'],
    ['connectionsuccess', 'unknown'],
    [null, 'unknown'],
  ] as const)('%s → %s', (actionType, expected) => expect(defenderDirection(actionType)).toBe(expected));
});

describe('zeekDirection', () => {
  it('trusts local_orig when Zeek knows its local networks', () => {
    expect(zeekDirection(true, '203.0.113.5')).toBe('outbound');
    expect(zeekDirection(false, '10.0.0.5')).toBe('inbound');
  });

  it('falls back to a private originator being ours', () => {
    expect(zeekDirection(null, '10.0.0.5')).toBe('outbound');
    expect(zeekDirection(null, 'fd00::1')).toBe('outbound');
    expect(zeekDirection(null, '203.0.113.5')).toBe('inbound');
  });
});
