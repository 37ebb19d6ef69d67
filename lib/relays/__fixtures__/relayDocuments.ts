// Small relay documents built in tests: TorRelayIPs.csv v2 rows, Onionoo details and TorDNSEL blocks.

export const CSV_HEADER =
  'Nickname,Fingerprint,EntryAddress,IPAddress,Port,AddressType,Hostname,CountryCode,IsRunning,IPLastChangeDate';

export interface CsvRelay {
  nickname: string;
  fingerprint: string;
  ip: string;
  port: number;
  country?: string;
  lastChanged?: string; // as the file writes it, e.g. '3/30/2022 12:00:00 PM'
}

export function torRelayCsv(relays: CsvRelay[]): Buffer {
  const lines = relays.map((relay) => {
    const v6 = relay.ip.includes(':');
    const entry = v6 ? `[${relay.ip}]:${relay.port}` : `${relay.ip}:${relay.port}`;
    return [
      relay.nickname,
      relay.fingerprint,
      entry,
      relay.ip,
      relay.port,
      v6 ? 'IPv6' : 'IPv4',
      '',
      relay.country ?? 'de',
      'False',
      relay.lastChanged ?? '',
    ]
      .map((field) => `"${field}"`)
      .join(',');
  });
  return Buffer.from(`${CSV_HEADER}\r\n${lines.join('\r\n')}\r\n`);
}

export interface OnionooRelay {
  nickname: string;
  fingerprint: string;
  or: string[];
  exits?: string[];
  flags?: string[];
  lastChanged?: string; // 'YYYY-MM-DD hh:mm:ss'
  country?: string;
}

export function onionooDetails(published: string, relays: OnionooRelay[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: '8.0',
      relays_published: published,
      relays: relays.map((relay) => ({
        nickname: relay.nickname,
        fingerprint: relay.fingerprint,
        or_addresses: relay.or,
        exit_addresses: relay.exits,
        flags: relay.flags ?? ['Running', 'Valid'],
        country: relay.country ?? 'de',
        last_changed_address_or_port: relay.lastChanged,
        running: true,
      })),
      bridges_published: published,
      bridges: [],
    }),
  );
}

export function exitList(
  blocks: Array<{ fingerprint: string; published: string; exits: Array<[string, string]> }>,
): Buffer {
  return Buffer.from(
    blocks
      .map((block) =>
        [
          `ExitNode ${block.fingerprint}`,
          `Published ${block.published}`,
          `LastStatus ${block.published}`,
          ...block.exits.map(([ip, at]) => `ExitAddress ${ip} ${at}`),
        ].join('\n'),
      )
      .join('\n') + '\n',
  );
}

/** A deterministic 40-hex fingerprint for relay number `n`. */
export function fingerprintOf(n: number): string {
  return n.toString(16).toUpperCase().padStart(40, '0');
}

/** A real-shaped TorRelayIPs.csv of `count` rows: about a quarter of the relays with an IPv6 row too. */
export function bigTorRelayCsv(count: number, seed = 0): Buffer {
  const relays: CsvRelay[] = [];
  for (let n = 0; relays.length < count; n++) {
    const fingerprint = fingerprintOf(n + 1 + seed);
    // Public (non-reserved) IPv4: relay lists refuse private and documentation addresses.
    const ip = `${51 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}.${1 + (seed % 250)}`;
    const lastChanged = `${1 + (n % 12)}/${1 + (n % 28)}/2025 ${1 + (n % 12)}:00:00 ${n % 2 ? 'PM' : 'AM'}`;
    relays.push({ nickname: `relay${n}`, fingerprint, ip, port: 9001, lastChanged });
    if (n % 4 === 0 && relays.length < count) {
      relays.push({
        nickname: `relay${n}`,
        fingerprint,
        ip: `2001:db8::${(n + seed).toString(16)}`,
        port: 443,
        lastChanged,
      });
    }
  }
  return torRelayCsv(relays);
}
