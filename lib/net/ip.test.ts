import { describe, expect, it } from 'vitest';
import { canonicalIp, isPrivateIp, parseHostPort, parsePort } from './ip';

describe('canonicalIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4 ', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:5.6.7.8', '5.6.7.8'],
    ['::ffff:0102:0304', '1.2.3.4'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
  ])('%s → %s', (input, expected) => expect(canonicalIp(input)).toBe(expected));

  it.each(['', '10.0.0.300', '1.2.3', 'abc', '01.2.3.4', 'fe80::1%eth0', '1.2.3.4:80'])('rejects %j', (input) =>
    expect(canonicalIp(input)).toBeNull(),
  );
});

describe('parseHostPort', () => {
  it('splits IPv4 and bracketed IPv6', () => {
    expect(parseHostPort('1.2.3.4:9001')).toEqual({ ip: '1.2.3.4', port: 9001 });
    expect(parseHostPort('[2001:DB8::1]:443')).toEqual({ ip: '2001:db8::1', port: 443 });
  });
  it('rejects bad halves', () => {
    expect(parseHostPort('1.2.3.4:99999')).toBeNull();
    expect(parseHostPort('2001:db8::1:443')).toBeNull();
    expect(parseHostPort('1.2.3.4')).toBeNull();
  });
  it('parses ports', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65536')).toBeNull();
    expect(parsePort('-1')).toBeNull();
  });
});

describe('isPrivateIp', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['8.8.8.8', false],
    ['fd00::1', true],
    ['fe80::1', true],
    ['2001:db8::1', false],
  ] as const)('%s → %s', (ip, expected) => expect(isPrivateIp(ip)).toBe(expected));
});
