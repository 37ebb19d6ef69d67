import { describe, expect, it } from 'vitest';
import { allowsAddress, allowsHost, parseOutboundAllow, refusedAddressReason } from './addressPolicy';
import { proxyFor } from './proxyFor';

describe('refusedAddressReason', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1', // CGNAT
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '192.0.2.10',
    '198.51.100.7',
    '203.0.113.9',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254', // EC2 metadata over IPv6
    'ff02::1',
    '::ffff:127.0.0.1', // IPv4-mapped
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::127.0.0.1', // IPv4-compatible
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(refusedAddressReason(address)).toBe('private address');
  });

  it.each([
    '93.184.215.14',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '64:ff9b::101:101',
    '2002:101:101::',
  ])('lets %s through', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });
});

describe('TORWATCH_OUTBOUND_ALLOW', () => {
  it('takes CIDRs, single addresses and host names, and names a bad entry', () => {
    const allow = parseOutboundAllow(' 127.0.0.1/32, 10.20.0.0/16 ,fd12::/64, mirror.corp.example, .lab.example, ::1');
    expect(allowsAddress(allow, '127.0.0.1')).toBe(true);
    expect(allowsAddress(allow, '127.0.0.2')).toBe(false);
    expect(allowsAddress(allow, '10.20.9.9')).toBe(true);
    expect(allowsAddress(allow, '::ffff:10.20.9.9')).toBe(true);
    expect(allowsAddress(allow, 'fd12::5')).toBe(true);
    expect(allowsAddress(allow, '::1')).toBe(true);
    expect(allowsHost(allow, 'Mirror.Corp.Example')).toBe(true);
    expect(allowsHost(allow, 'evil-mirror.corp.example')).toBe(false);
    expect(allowsHost(allow, 'feeds.lab.example')).toBe(true);
    expect(parseOutboundAllow('').isEmpty).toBe(true);
    expect(() => parseOutboundAllow('10.0.0.0/33')).toThrow(/"10.0.0.0\/33" has a bad prefix length/);
    expect(() => parseOutboundAllow('http://x/')).toThrow(/neither a CIDR/);
  });
});

describe('proxyFor', () => {
  it('picks the proxy by scheme and honours NO_PROXY', () => {
    const env = {
      HTTP_PROXY: 'http://proxy:3128',
      HTTPS_PROXY: 'http://sproxy:3128',
      NO_PROXY: 'localhost,.corp.example,mirror:8080',
    };
    expect(proxyFor(new URL('http://feeds.example/'), env)).toBe('http://proxy:3128');
    expect(proxyFor(new URL('https://feeds.example/'), env)).toBe('http://sproxy:3128');
    expect(proxyFor(new URL('http://localhost/'), env)).toBeNull();
    expect(proxyFor(new URL('http://a.corp.example/'), env)).toBeNull();
    expect(proxyFor(new URL('http://mirror:8080/'), env)).toBeNull();
    expect(proxyFor(new URL('http://mirror:80/'), env)).toBe('http://proxy:3128');
    expect(proxyFor(new URL('http://x/'), {})).toBeNull();
  });
});
