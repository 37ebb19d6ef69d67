import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTorRelayCsv } from './torRelayCsv';
import { RelayFormatError } from './types';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const A = 'A'.repeat(40);

describe('parseTorRelayCsv, v2 (quoted, CRLF)', () => {
  const doc = parseTorRelayCsv(fixture('v2-quoted-crlf.csv'));
  const find = (ip: string, fingerprint?: string) =>
    doc.addresses.find((a) => a.ip === ip && (!fingerprint || a.fingerprint === fingerprint));

  it('reads every row, keeps good addresses once and counts the bad ones', () => {
    expect(doc.format).toBe('torrelayips-csv');
    expect(doc.publishedAt).toBeNull();
    expect(doc.rowsRead).toBe(13);
    expect(doc.addresses).toHaveLength(8); // 13 rows - 4 rejected rows - 1 duplicate (line 12)
    expect(doc.relays.map((r) => r.fingerprint).sort()).toEqual([
      '2'.repeat(40),
      '3'.repeat(40),
      A,
      'B'.repeat(40),
      'C'.repeat(40),
      'D'.repeat(40),
      'E'.repeat(40),
    ]);
  });

  it('reports rejects with the physical line of the record, past a quoted line break', () => {
    expect(doc.rejects).toEqual([
      { line: 8, field: 'IPAddress', reason: '"185.100.87.300" is not an IP address' },
      { line: 9, field: 'Port', reason: '"99999" is not a port (1-65535)' },
      { line: 10, field: 'Fingerprint', reason: '"XYZ" is not a 40-hex-digit relay fingerprint' },
      { line: 11, field: 'IPLastChangeDate', reason: '"2/30/2026 3:04:05 PM" is not a date' },
      { line: 15, field: 'Port', reason: '"0" is not a port (1-65535)' },
    ]);
    expect(doc.rejectCount).toBe(5);
  });

  it('reads US dates at the AM/PM edges and ISO dates as UTC; a bad date keeps the address', () => {
    expect(find('185.56.69.30')?.lastChanged?.toISOString()).toBe('2022-03-30T00:00:00.000Z');
    expect(find('79.61.78.123', 'B'.repeat(40))?.lastChanged?.toISOString()).toBe('2025-12-31T12:30:00.000Z');
    expect(find('185.100.87.1')?.lastChanged?.toISOString()).toBe('2025-06-01T08:15:00.000Z');
    expect(find('185.100.87.2')?.lastChanged?.toISOString()).toBe('2025-06-01T08:15:00.000Z');
    expect(find('185.100.87.5')).toMatchObject({ fingerprint: '2'.repeat(40), lastChanged: null });
  });

  it('canonicalises IPv6 written without brackets, upper-cases fingerprints, lower-cases countries', () => {
    expect(find('2001:db8::1')).toEqual({
      fingerprint: A,
      ip: '2001:db8::1',
      port: 443,
      kind: 'or',
      lastChanged: new Date('2022-03-30T00:00:00Z'),
      observedAt: null,
      hostname: 'a.example b.example  c.example',
      country: 'nl',
    });
    expect(find('185.56.69.30')?.country).toBe('nl');
  });

  it('keeps the Hostname field as written and splits it into names for the relay', () => {
    expect(doc.relays.find((r) => r.fingerprint === A)).toMatchObject({
      nickname: 'Midnight',
      country: 'nl',
      hostnames: ['a.example', 'b.example', 'c.example'],
      flags: [],
      running: null,
    });
    expect(find('79.61.78.123', 'B'.repeat(40))?.hostname).toBeNull();
  });

  it('keeps distinct relays that share one address as separate observations', () => {
    expect(doc.addresses.filter((a) => a.ip === '79.61.78.123').map((a) => [a.fingerprint[0], a.port])).toEqual([
      ['B', 8443],
      ['E', 9001],
    ]);
  });
});

describe('parseTorRelayCsv, other shapes', () => {
  it('maps a v1 header by name: one observation per address present', () => {
    const doc = parseTorRelayCsv(fixture('v1.csv'));
    expect(doc.addresses.map((a) => `${a.fingerprint[0]} ${a.ip} ${a.port}`)).toEqual([
      '5 192.0.2.10 9001',
      '5 2001:db8::a 9001',
      '6 192.0.2.11 443',
      '6 2001:db8::b 443',
    ]);
    expect(doc.addresses[0].lastChanged?.toISOString()).toBe('2022-03-01T13:02:03.000Z');
    expect(doc.addresses[2].lastChanged).toBeNull();
    expect(doc.rejects).toEqual([
      { line: 5, field: 'IPv6Address', reason: expect.stringContaining('"2001:db8::c" is not an address:port') },
      { line: 6, field: 'IPv4Address', reason: 'missing address' },
    ]);
    expect(doc.relays.map((r) => r.nickname)).toEqual(['OldFour', 'OldBoth']);
  });

  it('maps columns in another order, the KQL date name, EntryAddress fallback and short rows', () => {
    const doc = parseTorRelayCsv(fixture('reordered.csv'));
    expect(doc.addresses).toEqual([
      expect.objectContaining({
        ip: '198.51.100.7',
        port: 9001,
        country: 'at',
        lastChanged: new Date('2024-02-29T22:59:59Z'),
      }),
      expect.objectContaining({ ip: '2001:db8::7', port: 9001, lastChanged: null }),
    ]);
    expect(doc.rejects).toEqual([{ line: 4, field: 'row', reason: 'has 3 fields, the header has 10' }]);
  });

  it('refuses a wrong header, naming what it found', () => {
    expect(() => parseTorRelayCsv('foo, bar\n1,2\n')).toThrow(
      new RelayFormatError(
        'line 1: header: expected TorRelayIPs.csv columns (Nickname, Fingerprint, …), got "foo, bar"',
      ),
    );
    expect(() => parseTorRelayCsv('Nickname,Fingerprint,Hostname\nx,y,z\n')).toThrow(
      /line 1: header: no address columns/,
    );
  });

  it('refuses a header with no rows and an unclosed quote', () => {
    expect(() => parseTorRelayCsv('"Nickname","Fingerprint","IPAddress","Port"\r\n')).toThrow(
      /header but no relay rows/,
    );
    expect(() => parseTorRelayCsv(`Nickname,Fingerprint,IPAddress,Port\nx,${A},1.2.3.4,9001\n"y,${A}`)).toThrow(
      /line 3: a quoted field is never closed/,
    );
  });

  it('skips the #TYPE line PowerShell writes above the header and keeps line numbers', () => {
    const doc = parseTorRelayCsv(`#TYPE TorRelayIp\nNickname,Fingerprint,IPAddress,Port\n\nx,${A},1.2.3.4,70000\n`);
    expect(doc.rejects).toEqual([{ line: 4, field: 'Port', reason: '"70000" is not a port (1-65535)' }]);
  });
});
