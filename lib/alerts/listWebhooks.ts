import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface WebhookView {
  id: number;
  name: string;
  url: string;
  format: string;
  minConfidence: string;
  enabled: boolean;
  hasSecret: boolean; // the secret itself never leaves the server
  delivered: number;
  failed: number;
  pending: number;
  lastDeliveryAt: string | null;
}

/** Configured webhooks with delivery counts (admins). */
export async function listWebhooks(actor: Actor): Promise<WebhookView[]> {
  authoriseQuery(actor, 'admin');
  const { rows } = await getPool().query<WebhookView>(`
    SELECT w.id, w.name, w.url, w.format, w.min_confidence AS "minConfidence", w.enabled,
           EXISTS (SELECT 1 FROM secret s WHERE s.name = 'webhook:' || w.id) AS "hasSecret",
           count(d.id) FILTER (WHERE d.status = 'delivered')::int AS delivered,
           count(d.id) FILTER (WHERE d.status = 'failed')::int AS failed,
           count(d.id) FILTER (WHERE d.status = 'pending')::int AS pending,
           to_char(max(d.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "lastDeliveryAt"
    FROM webhook w LEFT JOIN webhook_delivery d ON d.webhook_id = w.id
    GROUP BY w.id ORDER BY w.name, w.id`);
  return rows;
}
