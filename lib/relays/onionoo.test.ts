import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOnionoo } from './onionoo';
import { RelayFormatError } from './types';

const text = readFileSync(new URL('./__fixtures__/onionoo-small.json', import.meta.url), 'utf8');
const EXIT = '0123456789ABCDEF0123456789ABCDEF01234567';

describe('parseOnionoo', () => {
  const doc = parseOnionoo(text);

  it('reads relays_published as UTC and ignores bridges', () => {
    expect(doc.format).toBe('onionoo');
    expect(doc.publishedAt?.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(doc.rowsRead).toBe(4);
    expect(doc.addresses.some((a) => a.ip === '10.1.1.1')).toBe(false);
  });

  it('turns or_addresses, exit_addresses and dir_address into or / exit / dir observations', () => {
    const changed = new Date('2026-01-02T03:04:05Z');
    const common = { fingerprint: EXIT, observedAt: null, hostname: 'exit.example exit2.example', country: 'de' };
    expect(doc.addresses.filter((a) => a.fingerprint === EXIT)).toEqual([
      { ...common, ip: '203.0.113.5', port: 9001, kind: 'or', lastChanged: changed },
      { ...common, ip: '2001:db8::5', port: 9001, kind: 'or', lastChanged: changed }, // upper case, uncompressed
      { ...common, ip: '203.0.113.50', port: 0, kind: 'exit', lastChanged: null },
      { ...common, ip: '203.0.113.51', port: 0, kind: 'exit', lastChanged: null }, // ::ffff: folded
      { ...common, ip: '203.0.113.5', port: 80, kind: 'dir', lastChanged: changed },
    ]);
  });

  it('keeps relay metadata with upper-case fingerprints and lower-case countries', () => {
    expect(doc.relays[0]).toEqual({
      fingerprint: EXIT,
      nickname: 'ExitOne',
      country: 'de',
      flags: ['Exit', 'Fast', 'Running', 'Valid'],
      asNumber: 'AS64500',
      asName: 'Example Hosting',
      hostnames: ['exit.example', 'exit2.example'],
      firstSeen: new Date('2025-01-01T00:00:00Z'),
      lastSeen: new Date('2026-11-20T12:00:00Z'),
      running: true,
      consensusWeight: 1234,
    });
    expect(doc.relays.map((r) => r.nickname)).toEqual(['ExitOne', 'Guard', 'BadExit']);
  });

  it('folds a bracketed IPv4-mapped OR address and names each bad entry by its JSON path', () => {
    expect(doc.addresses.find((a) => a.fingerprint.startsWith('89AB'))).toMatchObject({
      ip: '198.51.100.9',
      port: 443,
    });
    expect(doc.rejects).toEqual([
      { line: null, field: 'relays[1].or_addresses[1]', reason: '"not-an-address" is not an address:port' },
      { line: null, field: 'relays[1].or_addresses[2]', reason: '"198.51.100.10:0" is not an address:port' },
      { line: null, field: 'relays[1].first_seen', reason: '"2025-13-01 00:00:00" is not a date' },
      { line: null, field: 'relays[2].fingerprint', reason: '"nope" is not a 40-hex-digit relay fingerprint' },
      { line: null, field: 'relays[3].exit_addresses[0]', reason: '"999.1.1.1" is not an IP address' },
    ]);
    expect(doc.rejectCount).toBe(5);
    expect(doc.relays[1].firstSeen).toBeNull();
  });

  it('refuses truncated JSON, JSON without relays, and an empty relays array', () => {
    expect(() => parseOnionoo(text.slice(0, 300))).toThrow(/JSON ends early — the download looks truncated/);
    expect(() => parseOnionoo('{"relays": [,]}')).toThrow(/not valid JSON/);
    expect(() => parseOnionoo('{"version":"8.0"}')).toThrow(
      new RelayFormatError('not an Onionoo details document: no "relays" array at the top level'),
    );
    expect(() => parseOnionoo('{"relays": []}')).toThrow(/"relays" array is empty/);
  });
});
