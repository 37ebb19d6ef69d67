import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseQuery } from '@/lib/auth/authorise';

export interface SuppressionRuleView {
  id: string;
  deviceId: string | null;
  processFileName: string | null;
  processFolderPath: string | null;
  processSha256: string | null;
  relayIp: string | null;
  relayFingerprint: string | null;
  actionType: string | null;
  direction: string | null;
  reason: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  active: boolean;
  suppressedHits: number; // hits this rule holds suppressed now
  firstSuppressedAt: string | null; // the oldest and newest of those hits' event times
  lastSuppressedAt: string | null;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Every suppression rule, active ones first (newest first), with the hits each holds suppressed. */
export async function listSuppressionRules(actor: Actor): Promise<SuppressionRuleView[]> {
  authoriseQuery(actor, 'analyst');
  const { rows } = await getPool().query<SuppressionRuleView>(`
    SELECT r.id, r.device_id AS "deviceId", r.process_file_name AS "processFileName", r.process_folder_path AS "processFolderPath",
           r.process_sha256 AS "processSha256", CASE WHEN r.relay_ip IS NULL THEN NULL WHEN masklen(r.relay_ip) = CASE WHEN family(r.relay_ip) = 4 THEN 32 ELSE 128 END
             THEN host(r.relay_ip) ELSE text(r.relay_ip) END AS "relayIp",
           r.relay_fingerprint AS "relayFingerprint", r.action_type AS "actionType", r.direction, r.reason,
           r.created_by AS "createdBy", ${ISO('r.created_at')} AS "createdAt", ${ISO('r.expires_at')} AS "expiresAt",
           (r.enabled AND (r.expires_at IS NULL OR r.expires_at > now())) AS active,
           COALESCE(c.hits, 0)::int AS "suppressedHits", ${ISO('c.first_ts')} AS "firstSuppressedAt", ${ISO('c.last_ts')} AS "lastSuppressedAt"
    FROM suppression_rule r
    LEFT JOIN (SELECT suppression_rule_id, count(*) AS hits, min(ts) AS first_ts, max(ts) AS last_ts FROM hit
               WHERE status = 'suppressed' AND suppression_rule_id IS NOT NULL GROUP BY 1) c ON c.suppression_rule_id = r.id
    ORDER BY active DESC, r.created_at DESC, r.id`);
  return rows;
}
