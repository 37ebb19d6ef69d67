import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitList, fingerprintOf, onionooDetails, torRelayCsv } from './__fixtures__/relayDocuments';
import { parseRelayDocument } from './parseRelayDocument';
import { relayAddressRefusal } from './relayAddressPolicy';

// Issue 14: an ingest token could declare 10.0.0.0/8 exit relays and turn internal traffic into hits. Every relay
// parser now rejects addresses no relay can have; documentation ranges too, outside the demo and the test fixtures.
const POISON = ['10.0.0.1', '127.0.0.1', '169.254.169.254', '192.168.1.1', '100.64.0.1', '0.0.0.0', 'fd00::1', '::1'];
const DOCUMENTATION = ['192.0.2.5', '198.51.100.5', '203.0.113.5', '2001:db8::5'];
const PUBLIC = '185.220.101.1';

const saved = process.env.TORWATCH_RELAY_DOCUMENTATION_ADDRESSES;
beforeEach(() => {
  delete process.env.TORWATCH_RELAY_DOCUMENTATION_ADDRESSES; // as in production
});
afterEach(() => {
  process.env.TORWATCH_RELAY_DOCUMENTATION_ADDRESSES = saved;
});

const bracket = (ip: string) => (ip.includes(':') ? `[${ip}]` : ip);
const documents: Record<string, (ips: string[]) => Buffer> = {
  'torrelayips-csv': (ips) =>
    torRelayCsv(ips.map((ip, n) => ({ nickname: `r${n}`, fingerprint: fingerprintOf(n + 1), ip, port: 9001 }))),
  onionoo: (ips) =>
    onionooDetails(
      '2026-11-20 12:00:00',
      ips.map((ip, n) => ({
        nickname: `r${n}`,
        fingerprint: fingerprintOf(n + 1),
        or: [`${bracket(ip)}:9001`],
        exits: [ip],
      })),
    ),
  'exit-list': (ips) =>
    exitList([
      {
        fingerprint: fingerprintOf(1),
        published: '2026-11-20 01:00:00',
        exits: ips.map((ip) => [ip, '2026-11-20 01:00:00']),
      },
    ]),
  'bulk-exit-list': (ips) => Buffer.from(`${ips.join('\n')}\n`),
};

describe('relay addresses in a relay list', () => {
  for (const [format, document] of Object.entries(documents)) {
    it(`${format}: private, loopback and documentation addresses are rejects, public ones are kept`, () => {
      const parsed = parseRelayDocument(document([PUBLIC, ...POISON, ...DOCUMENTATION]), {
        format: format as never,
      });
      expect([...new Set(parsed.addresses.map((a) => a.ip))]).toEqual([PUBLIC]);
      const reasons = parsed.rejects.map((r) => r.reason);
      for (const ip of POISON)
        expect(
          reasons.some((r) => r.startsWith(`${ip} is a private`)),
          ip,
        ).toBe(true);
      for (const ip of DOCUMENTATION)
        expect(reasons).toContain(`${ip} is a documentation address, not a relay address`);
      expect(parsed.rejectCount).toBeGreaterThanOrEqual(POISON.length + DOCUMENTATION.length);
    });
  }

  it('keeps documentation addresses where asked (the demo data)', () => {
    const parsed = parseRelayDocument(documents['bulk-exit-list'](DOCUMENTATION), {
      acceptDocumentationAddresses: true,
    });
    expect(parsed.addresses.map((a) => a.ip)).toEqual(DOCUMENTATION);
    expect(relayAddressRefusal('10.1.2.3', { acceptDocumentationAddresses: true })).toMatch(/private/);
  });
});
