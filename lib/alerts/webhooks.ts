import 'server-only';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/withTransaction';
import { deleteSecret, putSecret } from '@/lib/secrets/secretStore';
import { sendJob } from '@/lib/jobs/sendJob';
import { authoriseQuery } from '@/lib/auth/authorise';
import { alertPayload, type WebhookFormat } from './alertPayload';
import { deliverWebhook, webhookSecretName, type DeliveryOutcome } from './deliverWebhook';
import { webhookInput } from './webhookInput';
import { env } from '@/lib/env';

// Admin changes to webhooks (all audited; the secret never appears in the audit log or back in the UI).

export class WebhookError extends Error {}

export async function saveWebhook(actor: Actor, id: number | null, input: unknown): Promise<number> {
  authoriseQuery(actor, 'admin');
  const hook = webhookInput.parse(input);
  const savedId = await withTransaction(async (client) => {
    let savedId: number;
    if (id === null) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO webhook (name, url, format, min_confidence, enabled) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [hook.name, hook.url, hook.format, hook.minConfidence, hook.enabled],
      );
      savedId = rows[0].id;
    } else {
      const { rowCount } = await client.query(
        `UPDATE webhook SET name = $2, url = $3, format = $4, min_confidence = $5, enabled = $6 WHERE id = $1`,
        [id, hook.name, hook.url, hook.format, hook.minConfidence, hook.enabled],
      );
      if (!rowCount) throw new WebhookError(`webhook ${id} does not exist`);
      savedId = id;
    }
    // Write-only: a new secret replaces the old, "clear" removes it, neither keeps it.
    if (hook.clearSecret) await deleteSecret(webhookSecretName(savedId), client);
    else if (hook.secret) await putSecret(webhookSecretName(savedId), hook.secret, client);
    return savedId;
  });
  const { secret, ...shown } = hook;
  await audit(actor, id === null ? 'webhook.create' : 'webhook.update', `webhook:${savedId}`, {
    ...shown,
    url: new URL(hook.url).origin,
    secretSet: Boolean(secret),
  });
  return savedId;
}

export async function setWebhookEnabled(actor: Actor, id: number, enabled: boolean): Promise<void> {
  authoriseQuery(actor, 'admin');
  const { rowCount } = await getPool().query('UPDATE webhook SET enabled = $2 WHERE id = $1', [id, enabled]);
  if (!rowCount) throw new WebhookError(`webhook ${id} does not exist`);
  await audit(actor, enabled ? 'webhook.enable' : 'webhook.disable', `webhook:${id}`);
}

export async function deleteWebhook(actor: Actor, id: number): Promise<void> {
  authoriseQuery(actor, 'admin');
  const { rowCount } = await getPool().query('DELETE FROM webhook WHERE id = $1', [id]);
  if (!rowCount) throw new WebhookError(`webhook ${id} does not exist`);
  await deleteSecret(webhookSecretName(id));
  await audit(actor, 'webhook.delete', `webhook:${id}`);
}

/** Sends a test message now (one attempt, recorded in the delivery log) and says what happened. */
export async function sendTestWebhook(
  actor: Actor,
  id: number,
): Promise<{ outcome: DeliveryOutcome; responseCode: number | null; error: string | null }> {
  authoriseQuery(actor, 'admin');
  const pool = getPool();
  const hook = (
    await pool.query<{ format: WebhookFormat; enabled: boolean }>('SELECT format, enabled FROM webhook WHERE id = $1', [
      id,
    ])
  ).rows[0];
  if (!hook) throw new WebhookError(`webhook ${id} does not exist`);
  if (!hook.enabled) throw new WebhookError('enable the webhook before testing it');
  const payload = alertPayload(hook.format, {
    matchRunId: null,
    total: 0,
    hits: [],
    publicUrl: env('TORWATCH_PUBLIC_URL') ?? null,
    test: true,
  });
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO webhook_delivery (webhook_id, hit_count, payload) VALUES ($1, 0, $2) RETURNING id::text`,
    [id, payload],
  );
  const outcome = await deliverWebhookOnce(rows[0].id);
  const result = (
    await pool.query<{ responseCode: number | null; error: string | null }>(
      `SELECT response_code AS "responseCode", error FROM webhook_delivery WHERE id = $1::bigint`,
      [rows[0].id],
    )
  ).rows[0];
  await audit(actor, 'webhook.test', `webhook:${id}`, { outcome, ...result });
  return { outcome, ...result };
}

// One attempt only: a test should answer now, not after a backoff.
async function deliverWebhookOnce(deliveryId: string): Promise<DeliveryOutcome> {
  const outcome = await deliverWebhook(deliveryId);
  if (outcome === 'retry')
    await getPool().query(`UPDATE webhook_delivery SET status = 'failed' WHERE id = $1::bigint`, [deliveryId]);
  return outcome === 'retry' ? 'failed' : outcome;
}

/** Queues a failed (or stuck pending) delivery again with a fresh retry budget. */
export async function retryDelivery(actor: Actor, deliveryId: string): Promise<void> {
  authoriseQuery(actor, 'admin');
  if (!/^\d{1,19}$/.test(deliveryId)) throw new WebhookError('not a delivery id');
  const { rowCount } = await getPool().query(
    `UPDATE webhook_delivery SET status = 'pending', attempts = 0, error = NULL WHERE id = $1::bigint AND status <> 'delivered'`,
    [deliveryId],
  );
  if (!rowCount) throw new WebhookError(`delivery ${deliveryId} does not exist or was delivered`);
  await sendJob('webhook-deliver', { deliveryId });
  await audit(actor, 'webhook.retry', `delivery:${deliveryId}`);
}
