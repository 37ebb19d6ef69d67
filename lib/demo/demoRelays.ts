import { DemoRandom } from './demoRandom';

// The demo relay list: an Onionoo details document of made-up relays on documentation addresses (RFC 5737 / 3849),
// so demo data can never be confused with, or match, real Tor relays. Fingerprints start with DE30 ("demo").
export const DEMO_FEED = 'demo';
export const DEMO_FINGERPRINT_PREFIX = 'DE30';
const COUNTRIES = [
  'de',
  'de',
  'de',
  'nl',
  'nl',
  'us',
  'us',
  'fr',
  'fr',
  'se',
  'ch',
  'ro',
  'fi',
  'gb',
  'ca',
  'at',
  'pl',
  'lu',
];
const PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'];

export interface DemoRelay {
  fingerprint: string;
  nickname: string;
  address: string;
  orPort: number;
  exit: boolean;
  country: string;
}

export function demoRelays(count = 240): DemoRelay[] {
  const random = new DemoRandom(7);
  return Array.from({ length: count }, (_, i) => ({
    fingerprint: `${DEMO_FINGERPRINT_PREFIX}${random.hex(36)}`,
    nickname: `demoRelay${String(i + 1).padStart(3, '0')}`,
    address:
      i % 12 === 11 ? `2001:db8:${(i + 1).toString(16)}::1` : `${PREFIXES[i % 3]}${1 + (Math.floor(i / 3) % 254)}`,
    orPort: random.pick([9001, 443, 9001, 9001, 8443]),
    exit: i % 4 === 0,
    country: COUNTRIES[i % COUNTRIES.length],
  }));
}

const onionooTime = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

/** The Onionoo `details` document for the demo relays, published at `now`, addresses unchanged for 60 days. */
export function demoRelayDocument(relays: DemoRelay[], now: Date): string {
  const since = new Date(now.getTime() - 60 * 86_400_000);
  return JSON.stringify({
    version: '8.0',
    relays_published: onionooTime(now),
    relays: relays.map((relay) => ({
      nickname: relay.nickname,
      fingerprint: relay.fingerprint,
      or_addresses: [
        relay.address.includes(':') ? `[${relay.address}]:${relay.orPort}` : `${relay.address}:${relay.orPort}`,
      ],
      ...(relay.exit && !relay.address.includes(':') ? { exit_addresses: [relay.address] } : {}),
      first_seen: onionooTime(since),
      last_seen: onionooTime(now),
      last_changed_address_or_port: onionooTime(since),
      running: true,
      flags: relay.exit ? ['Exit', 'Fast', 'Running', 'Valid'] : ['Fast', 'Guard', 'Running', 'Stable', 'Valid'],
      country: relay.country,
      as: 'AS64496',
      as_name: 'Demo Network (documentation AS)',
      consensus_weight: 1000 + (relay.orPort % 7) * 100,
    })),
    bridges_published: onionooTime(now),
    bridges: [],
  });
}
