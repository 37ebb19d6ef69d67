import { describe, expect, it } from 'vitest';
import { suppressionRuleInput } from './suppressionRuleInput';

const parse = (input: Record<string, unknown>) => suppressionRuleInput.safeParse({ reason: 'because', ...input });
const field = (input: Record<string, unknown>) => {
  const result = parse(input);
  return result.success ? null : String(result.error.issues[0].path[0]);
};

describe('suppression rule input', () => {
  it('canonicalises addresses and networks, hashes and fingerprints', () => {
    expect(parse({ relayIp: '::ffff:198.51.100.7' }).data?.relayIp).toBe('198.51.100.7');
    expect(parse({ relayIp: '2001:DB8:0::1/64' }).data?.relayIp).toBe('2001:db8::1/64');
    expect(parse({ processSha256: 'AB'.repeat(32) }).data?.processSha256).toBe('ab'.repeat(32));
    expect(parse({ relayFingerprint: 'ab'.repeat(20) }).data?.relayFingerprint).toBe('AB'.repeat(20));
  });

  it('treats empty fields as unset and names the bad field', () => {
    expect(field({ deviceId: '  ', processFileName: '' })).toBe('criteria');
    expect(field({ relayIp: '198.51.100.7/33' })).toBe('relayIp');
    expect(field({ relayIp: 'fe80::1%eth0' })).toBe('relayIp');
    expect(field({ direction: 'sideways' })).toBe('direction');
    expect(field({ relayFingerprint: 'xyz' })).toBe('relayFingerprint');
    expect(field({ deviceId: 'd', expiresAt: 'tomorrow' })).toBe('expiresAt');
    expect(field({ deviceId: 'd', direction: '' })).toBeNull();
  });
});
