import type { PoolClient } from 'pg';
import { env } from '@/lib/env';
import { RUN_HITS } from '@/lib/match/afterMatch';
import type { WebhookFormat } from './alertPayload';
import { episodeAlertPayload, type AlertEpisode } from './episodeAlertPayload';

// Per-episode alerting (the default for a webhook): one delivery per episode the match run created that holds a new
// hit of the run at or above the webhook's confidence (still `new`: suppressed hits, and hits that took an episode's
// decision, never alert). Hits joining an existing episode send nothing — that is the point. At most MAX_EPISODES
// messages per webhook and run, highest confidence and most hits first.

export const MAX_EPISODE_ALERTS = 20;
const RANK = `CASE h.confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const MIN_RANK = `CASE $2 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/** Writes the webhook_delivery rows for one webhook; returns their ids (the caller queues them). */
export async function alertEpisodes(
  client: PoolClient,
  runId: number,
  webhook: { id: number; format: WebhookFormat; minConfidence: string },
): Promise<string[]> {
  const { rows } = await client.query<AlertEpisode>(
    `
    SELECT e.id::text, e.device_id AS "deviceId", e.device_name AS "deviceName", e.process_file_name AS "processFileName",
           to_char(e.first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "firstSeen",
           to_char(e.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "lastSeen",
           e.hit_count AS "hitCount", n.new_hits AS "newHits", e.max_confidence AS "maxConfidence",
           e.country_codes AS "countryCodes", cardinality(e.relay_fingerprints) AS "relayCount"
    FROM (
      SELECT h.episode_id, count(*)::int AS new_hits FROM hit h
      WHERE ${RUN_HITS} AND h.status = 'new' AND ${RANK} >= ${MIN_RANK} GROUP BY h.episode_id
    ) n JOIN episode e ON e.id = n.episode_id AND e.match_run_id = $1
    ORDER BY CASE e.max_confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC, e.hit_count DESC, e.id
    LIMIT ${MAX_EPISODE_ALERTS}`,
    [runId, webhook.minConfidence],
  );
  const ids: string[] = [];
  for (const episode of rows) {
    const payload = episodeAlertPayload(webhook.format, {
      matchRunId: runId,
      episode,
      publicUrl: env('TORWATCH_PUBLIC_URL') ?? null,
    });
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO webhook_delivery (webhook_id, match_run_id, hit_count, payload) VALUES ($1, $2, $3, $4) RETURNING id::text`,
      [webhook.id, runId, episode.hitCount, payload],
    );
    ids.push(inserted.rows[0].id);
  }
  return ids;
}
