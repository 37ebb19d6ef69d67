import { getPool } from '@/lib/db/pool';
import { QUEUES } from '@/lib/jobs/queues';
import { guardedFetch, OutboundRefusedError } from '@/lib/net/outbound';
import { getSecret } from '@/lib/secrets/secretStore';
import { SIGNATURE_HEADER, signBody } from './signature';
import { env } from '@/lib/env';

// One delivery attempt of a webhook_delivery row. pg-boss owns the retries (queue 'webhook-deliver': retryLimit 5,
// exponential backoff): a retriable failure (network error, timeout, 408, 429, 5xx) records the attempt and throws so
// pg-boss tries again later; success, a final attempt, or a refusal no retry can fix (other 4xx, a redirect, a
// disabled webhook) settles the row. Attempts count in the row, so a re-queued delivery never exceeds the limit.

export const MAX_ATTEMPTS = (QUEUES.webhooks.retryLimit ?? 0) + 1;
const timeoutMs = () => env('TORWATCH_WEBHOOK_TIMEOUT_MS');

/** The secret store's name for a webhook's signing secret. */
export const webhookSecretName = (webhookId: number) => `webhook:${webhookId}`;

export class RetryableDeliveryError extends Error {}

export type DeliveryOutcome = 'delivered' | 'failed' | 'retry' | 'skipped';

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  payload: unknown;
  webhookId: number;
  url: string;
  enabled: boolean;
}

/** Attempts the delivery once and records the outcome; `throwOnRetry` (the job handler) hands retries to pg-boss. */
export async function deliverWebhook(
  deliveryId: string,
  options: { throwOnRetry?: boolean } = {},
): Promise<DeliveryOutcome> {
  const pool = getPool();
  const { rows } = await pool.query<DeliveryRow>(
    `
    SELECT d.id::text, d.status, d.attempts, d.payload, w.id AS "webhookId", w.url, w.enabled
    FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id WHERE d.id = $1::bigint`,
    [deliveryId],
  );
  const delivery = rows[0];
  if (!delivery || delivery.status !== 'pending') return 'skipped';
  if (!delivery.enabled) {
    await settle(deliveryId, 'failed', null, 'webhook disabled before delivery');
    return 'failed';
  }
  const body = JSON.stringify(delivery.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'TorWatch-Webhook/1',
    'x-torwatch-delivery': deliveryId,
  };
  const secret = await getSecret(webhookSecretName(delivery.webhookId));
  if (secret) headers[SIGNATURE_HEADER] = signBody(secret, body);
  let code: number | null = null;
  let error: string | null = null;
  let retriable = false;
  try {
    // Address-guarded (lib/net/outbound.ts): a webhook URL cannot reach the internal network or the metadata service.
    const response = await guardedFetch(delivery.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      timeoutMs: timeoutMs(),
    });
    code = response.status;
    await response.body?.cancel().catch(() => {});
    if (code >= 200 && code < 300) {
      await settle(deliveryId, 'delivered', code, null);
      return 'delivered';
    }
    retriable = code >= 500 || code === 408 || code === 429;
    error =
      code >= 300 && code < 400 ? `HTTP ${code}: redirects are not followed; configure the final URL` : `HTTP ${code}`;
  } catch (cause) {
    const e = cause as Error;
    // A refused address stays refused: no retry.
    retriable = !(e instanceof OutboundRefusedError && e.message.startsWith('refused:'));
    error =
      e.name === 'TimeoutError'
        ? `no response within ${timeoutMs()} ms`
        : `${e.message}${e.cause ? `: ${(e.cause as Error).message ?? e.cause}` : ''}`;
  }
  const final = !retriable || delivery.attempts + 1 >= MAX_ATTEMPTS;
  await settle(deliveryId, final ? 'failed' : 'pending', code, error);
  if (final) return 'failed';
  if (options.throwOnRetry)
    throw new RetryableDeliveryError(
      `delivery ${deliveryId}: ${error} (attempt ${delivery.attempts + 1} of ${MAX_ATTEMPTS})`,
    );
  return 'retry';
}

async function settle(
  id: string,
  status: 'delivered' | 'failed' | 'pending',
  code: number | null,
  error: string | null,
): Promise<void> {
  await getPool().query(
    `
    UPDATE webhook_delivery SET status = $2, attempts = attempts + 1, response_code = $3, error = $4,
           delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
    WHERE id = $1::bigint`,
    [id, status, code, error],
  );
}
