import { getPool } from '@/lib/db/pool';
import { queueDeliveries } from '@/lib/alerts/queueDeliveries';
import type { WebhookFormat } from '@/lib/alerts/alertPayload';
import { chatPayload } from '@/lib/alerts/chatMessage';
import type { Connector } from './types';

// A stalled connector (no success within three intervals) is announced once through every enabled webhook, in its
// format, as a delivery in the webhook log (retried like hit alerts). The next success clears the mark.

export function stalledMessage(connector: Connector): string {
  const since = connector.lastSuccessAt ? `since ${connector.lastSuccessAt.toISOString()}` : 'since it was added';
  return (
    `TorWatch connector "${connector.name}" (${connector.kind}) has stalled: no successful pull ${since}` +
    (connector.lastError ? `. Last error: ${connector.lastError}` : '')
  );
}

export function stalledPayload(format: WebhookFormat, connector: Connector): Record<string, unknown> {
  const text = stalledMessage(connector);
  // The last error may quote a remote server: escaped like every untrusted value in a chat message.
  if (format !== 'generic')
    return chatPayload(format, { headline: (escape) => escape(text), lines: () => [], link: null, linkTitle: '' });
  return {
    event: 'torwatch.connector.stalled',
    connector: connector.name,
    kind: connector.kind,
    lastSuccessAt: connector.lastSuccessAt?.toISOString() ?? null,
    lastError: connector.lastError,
    message: text,
  };
}

export async function notifyStalled(connector: Connector): Promise<number> {
  const client = await getPool().connect();
  try {
    await client.query('BEGIN');
    const marked = await client.query(
      'UPDATE connector SET stalled_notified_at = now() WHERE id = $1 AND stalled_notified_at IS NULL',
      [connector.id],
    );
    if (!marked.rowCount) {
      await client.query('ROLLBACK');
      return 0;
    }
    const { rows: hooks } = await client.query<{ id: number; format: WebhookFormat }>(
      'SELECT id, format FROM webhook WHERE enabled',
    );
    const ids: string[] = [];
    for (const hook of hooks) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO webhook_delivery (webhook_id, hit_count, payload) VALUES ($1, 0, $2) RETURNING id::text`,
        [hook.id, stalledPayload(hook.format, connector)],
      );
      ids.push(rows[0].id);
    }
    await queueDeliveries(client, ids);
    await client.query('COMMIT');
    return ids.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
