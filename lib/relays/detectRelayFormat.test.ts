import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectRelayFormat } from './detectRelayFormat';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('detectRelayFormat', () => {
  it('recognises each fixture', () => {
    expect(detectRelayFormat(fixture('v2-quoted-crlf.csv'))).toBe('torrelayips-csv');
    expect(detectRelayFormat(fixture('v1.csv'))).toBe('torrelayips-csv');
    expect(detectRelayFormat(fixture('reordered.csv'))).toBe('torrelayips-csv');
    expect(detectRelayFormat(fixture('onionoo-small.json'))).toBe('onionoo');
    expect(detectRelayFormat(fixture('exit-addresses.txt'))).toBe('exit-list');
    expect(detectRelayFormat(fixture('bulk-exit-list.txt'))).toBe('bulk-exit-list');
  });

  it('sees a BOM, a #TYPE line and a truncated Onionoo document for what they are', () => {
    expect(detectRelayFormat('\uFEFF"Nickname","Fingerprint"\r\n')).toBe('torrelayips-csv');
    expect(detectRelayFormat('#TYPE TorRelayIp\nNickname,Fingerprint,IPAddress,Port\n')).toBe('torrelayips-csv');
    expect(detectRelayFormat('{"version":"8.0","relays_published":"2026-11-20 12:00:00","relays":[{"nick')).toBe(
      'onionoo',
    );
  });

  it('tells a bulk list with one bad line from text that is only partly addresses', () => {
    const list = Array.from({ length: 20 }, (_, i) => `185.100.87.${i}`);
    expect(detectRelayFormat([...list, 'garbage'].join('\n'))).toBe('bulk-exit-list');
    expect(detectRelayFormat('1.2.3.4\nhello')).toBeNull();
    expect(detectRelayFormat([...list.slice(0, 5), 'a', 'b', 'c'].join('\n'))).toBeNull();
  });

  it('returns null for HTML, empty text, other JSON and unknown text', () => {
    expect(detectRelayFormat('<!DOCTYPE html><html><body>Sign in</body></html>')).toBeNull();
    expect(detectRelayFormat('  \n ')).toBeNull();
    expect(detectRelayFormat('{"bridges":[]}')).toBeNull();
    expect(detectRelayFormat('foo,bar\n1,2\n')).toBeNull();
  });
});
