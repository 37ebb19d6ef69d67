import { afterEach, describe, expect, it } from 'vitest';
import { arrivedOverTls, clientAddress, normaliseAddress, peerAddress, trustedProxies } from './clientAddress';

const SECRET = 'unit-test-peer-secret';
const stamped = (peer: string, extra: Record<string, string> = {}) =>
  new Headers({ 'x-torwatch-peer': `${SECRET} ${peer}`, ...extra });

afterEach(() => {
  delete process.env.TORWATCH_PEER_SECRET;
  delete process.env.TORWATCH_TRUSTED_PROXIES;
});

describe('client address', () => {
  it('is the stamped socket address, never a header the client sent', () => {
    process.env.TORWATCH_PEER_SECRET = SECRET;
    expect(clientAddress(stamped('::ffff:192.0.2.7', { 'x-forwarded-for': '198.51.100.1' }))).toBe('192.0.2.7');
    expect(clientAddress(new Headers({ 'x-torwatch-peer': 'wrong 192.0.2.8' }))).toBe('unknown');
    expect(peerAddress(new Headers({ 'x-torwatch-peer': `${SECRET}x 192.0.2.8` }))).toBeNull();
    delete process.env.TORWATCH_PEER_SECRET; // `next dev`: no web server, no stamp believed
    expect(clientAddress(stamped('192.0.2.7'))).toBe('unknown');
  });

  it('takes the right-most untrusted X-Forwarded-For entry behind a trusted proxy', () => {
    process.env.TORWATCH_PEER_SECRET = SECRET;
    process.env.TORWATCH_TRUSTED_PROXIES = '10.0.0.0/8, ::1';
    const via = (xff: string) => clientAddress(stamped('10.1.2.3', { 'x-forwarded-for': xff }));
    expect(via('6.6.6.6, 192.0.2.9')).toBe('192.0.2.9');
    expect(via('192.0.2.9, 10.4.4.4')).toBe('192.0.2.9'); // a second trusted hop is skipped
    expect(via('not-an-ip')).toBe('10.1.2.3');
    expect(clientAddress(stamped('::1', { 'x-forwarded-for': '2001:db8::5' }))).toBe('2001:db8::5');
    expect(arrivedOverTls(stamped('10.1.2.3', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(arrivedOverTls(stamped('192.0.2.1', { 'x-forwarded-proto': 'https' }))).toBe(false);
  });

  it('trusts nothing by default, not even loopback, and names a bad entry', () => {
    process.env.TORWATCH_PEER_SECRET = SECRET;
    expect(clientAddress(stamped('127.0.0.1', { 'x-forwarded-for': '192.0.2.1' }))).toBe('127.0.0.1');
    for (const bad of ['10.0.0.0/33', 'example.org', '10.0.0.0/8/1', '::1/129'])
      expect(() => trustedProxies(bad), bad).toThrow(/TORWATCH_TRUSTED_PROXIES/);
    expect(normaliseAddress('[2001:DB8::1]')).toBe('2001:db8::1');
  });
});
