// When a suppression rule (alias r) covers a hit (alias h): every criterion the rule sets must hold; unset ones match
// anything. Process names, folders and hashes compare case-insensitively (Windows paths); the relay address may be a
// network (198.51.100.0/24) or one address. Only active rules: enabled and not expired.
export const RULE_COVERS_HIT = `
  r.enabled AND (r.expires_at IS NULL OR r.expires_at > now())
  AND (r.device_id IS NULL OR r.device_id = h.device_id)
  AND (r.process_file_name IS NULL OR lower(r.process_file_name) = lower(h.process_file_name))
  AND (r.process_folder_path IS NULL OR lower(r.process_folder_path) = lower(h.process_folder_path))
  AND (r.process_sha256 IS NULL OR lower(r.process_sha256) = lower(h.process_sha256))
  AND (r.relay_ip IS NULL OR h.remote_ip <<= r.relay_ip)
  AND (r.relay_fingerprint IS NULL OR h.relay_fingerprints @> ARRAY[r.relay_fingerprint])
  AND (r.action_type IS NULL OR r.action_type = h.action_type)
  AND (r.direction IS NULL OR r.direction = h.direction)`;

/** Open hits: nobody has decided about them yet. Rules suppress only these, never a true positive or a benign. */
export const OPEN_STATUSES = ['new', 'investigating'] as const;

/**
 * Suppresses the open hits in `scope` (a condition over h, with the caller's $n parameters) that an active rule covers,
 * recording the oldest covering rule.
 */
export function suppressHitsSql(scope: string): string {
  return `
    WITH covered AS (
      SELECT DISTINCT ON (h.id) h.id, r.id AS rule_id
      FROM hit h JOIN suppression_rule r ON ${RULE_COVERS_HIT}
      WHERE h.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')}) AND (${scope})
      ORDER BY h.id, r.created_at, r.id)
    UPDATE hit SET status = 'suppressed', suppression_rule_id = covered.rule_id, updated_at = now()
    FROM covered WHERE hit.id = covered.id`;
}
