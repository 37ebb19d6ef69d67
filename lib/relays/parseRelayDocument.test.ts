import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRelayDocument } from './parseRelayDocument';
import { RelayFormatError, type ParsedRelayDocument } from './types';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const SAMPLES = '/work/shared/examples/kql-parity';
const FP = 'A'.repeat(40);

describe('parseRelayDocument', () => {
  it('detects each format from content, from a Buffer', () => {
    expect(parseRelayDocument(fixture('v2-quoted-crlf.csv')).format).toBe('torrelayips-csv');
    expect(parseRelayDocument(fixture('onionoo-small.json')).format).toBe('onionoo');
    expect(parseRelayDocument(fixture('exit-addresses.txt')).format).toBe('exit-list');
    expect(parseRelayDocument(fixture('bulk-exit-list.txt')).format).toBe('bulk-exit-list');
  });

  it('strips a UTF-8 BOM (Buffer or string) and reads UTF-16 with a BOM', () => {
    const csv = `Nickname,Fingerprint,IPAddress,Port\r\nx,${FP},1.2.3.4,9001\r\n`;
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]);
    for (const input of [
      utf8,
      `\uFEFF${csv}`,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
    ]) {
      const doc = parseRelayDocument(input);
      expect(doc.addresses).toEqual([expect.objectContaining({ fingerprint: FP, ip: '1.2.3.4', port: 9001 })]);
      expect(doc.rejectCount).toBe(0);
    }
  });

  it('honours a forced format', () => {
    const doc = parseRelayDocument('1.2.3.4\nhello\n', { format: 'bulk-exit-list' });
    expect(doc.rejects).toEqual([{ line: 2, field: 'address', reason: '"hello" is not an IP address' }]);
    expect(() => parseRelayDocument('1.2.3.4\n', { format: 'torrelayips-csv', name: 'x.csv' })).toThrow(
      /^x\.csv: line 1: header: expected TorRelayIPs\.csv columns/,
    );
  });

  it('refuses documents that are not relay feeds, prefixing the name', () => {
    const refusals: Array<[string | Buffer, RegExp]> = [
      ['', /^relays\.csv: the document is empty$/],
      [' \r\n\t\n', /^relays\.csv: the document is empty$/],
      ['\uFEFF', /^relays\.csv: the document is empty$/],
      ['<!DOCTYPE html>\n<html><body>Please sign in</body></html>', /^relays\.csv: looks like HTML/],
      ['  <html lang="en"><head></head></html>', /^relays\.csv: looks like HTML/],
      ['<?xml version="1.0"?><Error><Code>BlobNotFound</Code></Error>', /^relays\.csv: looks like XML/],
      [
        'foo, bar\n1,2\n',
        /^relays\.csv: line 1: header: expected TorRelayIPs\.csv columns \(Nickname, Fingerprint, …\), got "foo, bar"$/,
      ],
      [
        '{"version":"8.0","relays_published":"2026-11-20 12:00:00","relays":[{"nickname":"x"',
        /^relays\.csv: the JSON ends early/,
      ],
      ['{"version":"8.0","relays_pub', /^relays\.csv: the JSON ends early/],
      ['hello world\n', /^relays\.csv: no recognisable relay feed: .* it starts with "hello world"$/],
      [Buffer.from([0x1f, 0x8b, 0x08, 0x00]), /^relays\.csv: the file is gzip-compressed/],
    ];
    for (const [input, message] of refusals) {
      let caught: unknown;
      try {
        parseRelayDocument(input, { name: 'relays.csv' });
      } catch (error) {
        caught = error;
      }
      expect(caught, String(input)).toBeInstanceOf(RelayFormatError);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('refuses HTML even when the format is forced', () => {
    expect(() => parseRelayDocument('<!doctype html><p>502</p>', { format: 'onionoo' })).toThrow(/looks like HTML/);
  });

  it('caps the kept rejects at 1000 while counting them all', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `x,${FP},10.0.${i},9001`);
    const doc = parseRelayDocument(['Nickname,Fingerprint,IPAddress,Port', ...lines].join('\n'));
    expect(doc.rejects).toHaveLength(1000);
    expect(doc.rejectCount).toBe(1500);
    expect(doc.rowsRead).toBe(1500);
    expect(doc.rejects[999]).toEqual({ line: 1001, field: 'IPAddress', reason: '"10.0.999" is not an IP address' });
  });
});

describe('the kql-parity samples', () => {
  const csv = parseRelayDocument(readFileSync(`${SAMPLES}/relays.csv`), { name: 'relays.csv' });
  const onionoo = parseRelayDocument(readFileSync(`${SAMPLES}/onionoo.json`), { name: 'onionoo.json' });
  const orKeys = (doc: ParsedRelayDocument) =>
    doc.addresses
      .filter((a) => a.kind === 'or')
      .map((a) => `${a.fingerprint} ${a.ip} ${a.port} ${a.lastChanged?.toISOString()}`)
      .sort();

  it('relays.csv: 265 rows, 0 rejects, 200 relays, 200 IPv4 + 65 IPv6 OR addresses', () => {
    expect(csv.format).toBe('torrelayips-csv');
    expect([csv.rowsRead, csv.rejectCount, csv.relays.length, csv.addresses.length]).toEqual([265, 0, 200, 265]);
    expect(csv.addresses.filter((a) => a.ip.includes(':'))).toHaveLength(65);
    expect(new Set(csv.addresses.map((a) => a.ip)).size).toBe(252); // some addresses are shared by several relays
    expect(csv.addresses[0]).toEqual({
      fingerprint: '4DC2A627940EEE3CBA6F875C2E84496E7857DD86',
      ip: '185.56.69.30',
      port: 9090,
      kind: 'or',
      lastChanged: new Date('2025-09-28T02:20:37Z'),
      observedAt: null,
      hostname: 'a.example b.example',
      country: 'nl',
    });
  });

  it('onionoo.json: 200 relays, 265 OR and 64 exit observations, published 2026-11-20 12:00 UTC', () => {
    expect(onionoo.format).toBe('onionoo');
    expect(onionoo.publishedAt?.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect([onionoo.rowsRead, onionoo.rejectCount, onionoo.relays.length]).toEqual([200, 0, 200]);
    const exits = onionoo.addresses.filter((a) => a.kind === 'exit');
    expect(exits).toHaveLength(64);
    expect(exits.every((a) => a.port === 0 && a.lastChanged === null && a.fingerprint.length === 40)).toBe(true);
    expect(onionoo.relays.filter((r) => r.flags.includes('Exit'))).toHaveLength(64);
  });

  it('both describe the same OR addresses with the same last-change times (US culture dates = Onionoo UTC)', () => {
    expect(orKeys(onionoo)).toEqual(orKeys(csv));
  });
});

// Its speed is measured against csv-parse in `npm run bench:parse`.
describe('a large document', () => {
  it('parses a 10,000-row v2 CSV without a reject', () => {
    const header =
      '"Nickname","Fingerprint","EntryAddress","IPAddress","Port","AddressType","Hostname","CountryCode","IsRunning","IPLastChangeDate"';
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const fingerprint = i.toString(16).toUpperCase().padStart(40, '0');
      const ip = i % 4 === 0 ? `2001:db8::${i.toString(16)}` : `51.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const entry = ip.includes(':') ? `[${ip}]:443` : `${ip}:9001`;
      const port = ip.includes(':') ? 443 : 9001;
      return [
        `Relay${i}`,
        fingerprint,
        entry,
        ip,
        port,
        ip.includes(':') ? 'IPv6' : 'IPv4',
        'a.example b.example',
        'de',
        'False',
        `${(i % 12) + 1}/${(i % 28) + 1}/2025 ${(i % 12) + 1}:0${i % 10}:00 ${i % 2 ? 'PM' : 'AM'}`,
      ]
        .map((v) => `"${v}"`)
        .join(',');
    });
    const text = [header, ...rows].join('\r\n') + '\r\n';
    const doc = parseRelayDocument(text);
    expect(doc.addresses).toHaveLength(10_000);
    expect(doc.rejectCount).toBe(0);
  });
});
