import { describe, expect, it } from 'vitest';
import { signatureHeaders, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature';

describe('webhook signatures', () => {
  const body = '{"event":"torwatch.hits.new"}';
  const now = Date.parse('2026-11-30T12:00:00Z');
  const headers = signatureHeaders('s3cret', body, now);

  it('sign the timestamp with the body', () => {
    expect(headers[TIMESTAMP_HEADER]).toBe(String(now / 1000));
    expect(verifySignature('s3cret', body, headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER], { now })).toBe(true);
    // Another timestamp with the same signature (a replay with a fresh header) fails.
    const later = String(now / 1000 + 60);
    expect(verifySignature('s3cret', body, headers[SIGNATURE_HEADER], later, { now })).toBe(false);
    expect(verifySignature('wrong', body, headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER], { now })).toBe(false);
    expect(verifySignature('s3cret', `${body} `, headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER], { now })).toBe(
      false,
    );
  });

  it('refuse a request replayed after the tolerance (5 minutes by default)', () => {
    const [signature, timestamp] = [headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER]];
    expect(verifySignature('s3cret', body, signature, timestamp, { now: now + 299_000 })).toBe(true);
    expect(verifySignature('s3cret', body, signature, timestamp, { now: now + 301_000 })).toBe(false);
    expect(verifySignature('s3cret', body, signature, null, { now })).toBe(false);
  });
});
