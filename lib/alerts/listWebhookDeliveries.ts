import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface WebhookDeliveryView {
  id: string;
  webhookId: number;
  webhookName: string;
  matchRunId: number | null; // null for a test message
  hitCount: number;
  status: string;
  attempts: number;
  responseCode: number | null;
  error: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The delivery log, newest first (admins); optionally for one webhook. */
export async function listWebhookDeliveries(
  actor: Actor,
  options: { webhookId?: number; limit?: number } = {},
): Promise<WebhookDeliveryView[]> {
  authoriseQuery(actor, 'admin');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const { rows } = await getPool().query<WebhookDeliveryView>(
    `
    SELECT d.id::text, d.webhook_id AS "webhookId", w.name AS "webhookName", d.match_run_id AS "matchRunId", d.hit_count AS "hitCount",
           d.status, d.attempts, d.response_code AS "responseCode", d.error, ${ISO('d.created_at')} AS "createdAt",
           ${ISO('d.delivered_at')} AS "deliveredAt"
    FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
    WHERE ($1::int IS NULL OR d.webhook_id = $1)
    ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
    [options.webhookId ?? null, limit],
  );
  return rows;
}
