import { createHmac, timingSafeEqual } from 'node:crypto';

// `X-TorWatch-Signature: sha256=<hex>` — HMAC-SHA256 of the raw request body with the webhook's secret, the scheme
// GitHub uses, so receivers can reuse their verification code.
export const SIGNATURE_HEADER = 'X-TorWatch-Signature';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a header value against the body. */
export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
