import { RUN_HITS, type AfterMatchStep } from '@/lib/match/afterMatch';
import { alertPayload, LISTED_HITS, type AlertHit, type WebhookFormat } from './alertPayload';
import { queueDeliveries } from './queueDeliveries';
import { env } from '@/lib/env';
import { confidenceRankSql } from '@/lib/hits/confidenceRank';

// Alert batching: one webhook_delivery per enabled webhook per match run, for the run's new hits at or above the
// webhook's confidence that are still `new` (the suppression step runs first, so suppressed hits never alert).
// Runs inside the run's transaction; the delivery jobs are queued through the same connection (queueDeliveries).

const RANK = confidenceRankSql('h.confidence');
const MIN_RANK = confidenceRankSql('$2');

export const alertAfterMatch: AfterMatchStep = async (client, runId) => {
  const webhooks = (
    await client.query<{ id: number; format: WebhookFormat; minConfidence: string }>(
      `SELECT id, format, min_confidence AS "minConfidence" FROM webhook WHERE enabled ORDER BY id`,
    )
  ).rows;
  if (!webhooks.length) return;
  const deliveryIds: string[] = [];
  for (const webhook of webhooks) {
    const { rows } = await client.query<AlertHit & { total: string }>(
      `
      SELECT h.id::text, to_char(h.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, h.device_id AS "deviceId",
             h.device_name AS "deviceName", h.process_file_name AS "processFileName", host(h.remote_ip) AS "remoteIp",
             h.remote_port AS "remotePort", h.direction, h.relay_nicknames AS "relayNicknames", h.country, h.confidence,
             count(*) OVER () AS total
      FROM hit h
      WHERE ${RUN_HITS} AND h.status = 'new' AND ${RANK} >= ${MIN_RANK}
      ORDER BY ${RANK} DESC, h.ts DESC, h.id LIMIT $3`,
      [runId, webhook.minConfidence, LISTED_HITS],
    );
    if (!rows.length) continue;
    const total = Number(rows[0].total);
    const hits = rows.map(({ total: _total, ...hit }) => hit);
    const payload = alertPayload(webhook.format, {
      matchRunId: runId,
      total,
      hits,
      publicUrl: env('TORWATCH_PUBLIC_URL') ?? null,
    });
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO webhook_delivery (webhook_id, match_run_id, hit_count, payload) VALUES ($1, $2, $3, $4) RETURNING id::text`,
      [webhook.id, runId, total, payload],
    );
    deliveryIds.push(inserted.rows[0].id);
  }
  await queueDeliveries(client, deliveryIds);
};
