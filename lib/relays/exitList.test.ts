import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBulkExitList, parseExitList } from './exitList';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const FIRST = '0011BD2485AD45D984EC4159C88FC066E5E3300E';
const SECOND = '0127AD4B3E2D4FF3C5E4A35BCF5BD59E1BD3C43B';

describe('parseExitList (TorDNSEL)', () => {
  const doc = parseExitList(fixture('exit-addresses.txt'));

  it('reads every block; publishedAt is the latest Published', () => {
    expect(doc.format).toBe('exit-list');
    expect(doc.rowsRead).toBe(3);
    expect(doc.publishedAt?.toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(doc.relays.map((r) => [r.fingerprint, r.lastSeen?.toISOString()])).toEqual([
      [FIRST, '2026-11-20T02:00:00.000Z'],
      [SECOND, '2026-11-20T10:00:00.000Z'],
    ]);
  });

  it('makes each ExitAddress an exit observation at its scan time, once, keeping the latest scan', () => {
    const exit = { port: 0, kind: 'exit', lastChanged: null, hostname: null, country: null };
    expect(doc.addresses).toEqual([
      { ...exit, fingerprint: FIRST, ip: '162.247.72.201', observedAt: new Date('2026-11-20T01:11:43Z') },
      { ...exit, fingerprint: FIRST, ip: '2001:db8::99', observedAt: new Date('2026-11-20T01:12:00Z') },
      { ...exit, fingerprint: SECOND, ip: '185.220.101.1', observedAt: new Date('2026-11-20T11:01:02Z') },
      { ...exit, fingerprint: SECOND, ip: '185.220.101.2', observedAt: null },
    ]);
  });

  it('counts bad lines with their line numbers and skips the block of a bad fingerprint', () => {
    expect(doc.rejects).toEqual([
      { line: 13, field: 'ExitAddress', reason: '"185.220.101.300" is not an IP address' },
      { line: 14, field: 'ExitAddress', reason: '"yesterday" is not a date' },
      { line: 15, field: 'ExitNode', reason: '"NOTAFINGERPRINT" is not a 40-hex-digit relay fingerprint' },
    ]);
  });

  it('refuses a document without ExitNode lines', () => {
    expect(() => parseExitList('@type tordnsel 1.0\n')).toThrow(/no "ExitNode" lines/);
  });
});

describe('parseBulkExitList', () => {
  it('reads one address a line, skipping comments, counting bad lines, folding duplicates', () => {
    const doc = parseBulkExitList(fixture('bulk-exit-list.txt'));
    expect(doc.format).toBe('bulk-exit-list');
    expect(doc.publishedAt).toBeNull();
    expect(doc.relays).toEqual([]);
    expect(doc.rowsRead).toBe(5);
    expect(doc.addresses.map((a) => [a.fingerprint, a.ip, a.port, a.kind])).toEqual([
      ['', '185.220.101.1', 0, 'exit'],
      ['', '2001:db8::1', 0, 'exit'],
    ]);
    // A private address (here IPv4-mapped) is no relay's: rejected, so it can never turn internal traffic into hits.
    expect(doc.rejects).toEqual([
      { line: 6, field: 'address', reason: '"not-an-ip" is not an IP address' },
      { line: 7, field: 'address', reason: '10.9.8.7 is a private, loopback or reserved address, not a relay address' },
    ]);
  });

  it('refuses a list with nothing but comments', () => {
    expect(() => parseBulkExitList('# nothing today\n\n')).toThrow(/only comments/);
  });
});
