import { createHmac, timingSafeEqual } from 'node:crypto';

// `X-TorWatch-Timestamp: <unix seconds>` and `X-TorWatch-Signature: sha256=<hex>`, the HMAC-SHA256 with the webhook's
// secret of `<timestamp>.<raw body>` (the scheme Stripe and Slack use). Signing the time lets a receiver refuse a
// replayed request: check the signature, then that the timestamp is within a few minutes of its own clock.
export const SIGNATURE_HEADER = 'X-TorWatch-Signature';
export const TIMESTAMP_HEADER = 'X-TorWatch-Timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signBody(secret: string, body: string, timestamp: number): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The two headers for a delivery sent now. */
export function signatureHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(secret, body, timestamp) };
}

/**
 * For receivers (and tests): true when the signature matches the body and timestamp (constant-time) and the
 * timestamp is within `toleranceSeconds` of `now` — an old request replayed later is refused.
 */
export function verifySignature(
  secret: string,
  body: string,
  signature: string | null | undefined,
  timestamp: string | null | undefined,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const age = Math.abs((options.now ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signBody(secret, body, Number(timestamp)));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
