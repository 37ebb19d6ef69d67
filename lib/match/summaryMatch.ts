import { GRACE_SQL } from './grace';
import { BASE_CONFIDENCE } from './matchSql';

// Matching beyond the raw window (docs/architecture.md §16.3). For months whose raw events retention dropped
// (retention_dropped_month), the hourly connection summaries stand in for the events: a summary row matches an
// interval when its remote address is the interval's address and its [first_seen, last_seen] overlaps the widened
// interval — the same predicate as §7.1 at the precision a summary has. Each matching row becomes one hit with
// precision 'hour' (ts = the hour's first connection, summary_events and summary_last_seen carry the rest).
// Which rows a run examines mirrors the event match: incremental/retro runs take the rows in the time that
// examined_interval newly covers; full runs take every summary row of a dropped month on a relay address. A row
// whose connections already made an event hit (matched before the drop) is left out (HAS_EVENT_HIT).
// Parameters: $1, $2 = the graces (GRACE_SQL); UPSERT_SUMMARY_HITS_SQL $1 = match_run id.

/** A summary row in a month whose raw events were dropped (join alias `s`). */
const IN_DROPPED_MONTH = `EXISTS (SELECT 1 FROM retention_dropped_month d WHERE d.month = date_trunc('month', s.hour, 'UTC'))`;

const OVERLAPS_WIDENED = `s.remote_ip = a.ip
  AND s.hour >= date_trunc('hour', a.valid_from - ${GRACE_SQL}, 'UTC') AND s.hour <= a.valid_to + ${GRACE_SQL}
  AND s.last_seen >= a.valid_from - ${GRACE_SQL} AND s.first_seen <= a.valid_to + ${GRACE_SQL}`;

/**
 * The summary row's connections were matched while their raw events existed (retention drops a month only once all
 * its events went through a match run) and one of them made a hit: the row is represented already, and a summary hit
 * would count it twice (a full run re-examines every interval). Hits keep the strings, so the keys are looked up.
 */
const HAS_EVENT_HIT = `EXISTS (
  SELECT 1 FROM hit h JOIN device dv ON dv.device_id = h.device_id
  LEFT JOIN process_image p ON p.process_key = s.process_key
  WHERE h.event_id IS NOT NULL AND h.remote_ip = s.remote_ip AND h.ts >= s.hour AND h.ts < s.hour + interval '1 hour'
    AND dv.device_key = s.device_key AND h.remote_port IS NOT DISTINCT FROM s.remote_port
    AND h.process_file_name IS NOT DISTINCT FROM p.file_name AND h.process_folder_path IS NOT DISTINCT FROM p.folder_path
    AND h.process_sha256 IS NOT DISTINCT FROM p.sha256)`;

const SUMMARY_COLUMNS = `s.id, s.hour, s.device_key, s.remote_ip, s.remote_port, s.process_key, s.events, s.first_seen,
  s.last_seen, s.action_keys, s.directions`;

export function candidateSummariesSql(scope: 'candidates' | 'all'): string {
  const intervals = scope === 'all' ? 'relay_address' : 'examined_interval';
  // Retro: only the time an interval newly covers (all of a new interval).
  const newlyCovered =
    scope === 'all'
      ? ''
      : `AND (a.matched_from IS NULL OR s.first_seen < a.matched_from - ${GRACE_SQL}
             OR s.last_seen > a.matched_to + ${GRACE_SQL})`;
  return `
    CREATE TEMP TABLE candidate_summary ON COMMIT DROP AS
    SELECT DISTINCT ${SUMMARY_COLUMNS}
    FROM ${intervals} a
    CROSS JOIN LATERAL (
      SELECT ${SUMMARY_COLUMNS} FROM connection_summary s WHERE ${OVERLAPS_WIDENED} ${newlyCovered} OFFSET 0
    ) s
    WHERE ${IN_DROPPED_MONTH} AND NOT ${HAS_EVENT_HIT}`;
}

/** The candidates against every interval of their address (as matchedEventsSql does for events). */
export const MATCHED_SUMMARIES_SQL = `
  CREATE TEMP TABLE run_summary_match ON COMMIT DROP AS
  SELECT s.id AS summary_id, s.first_seen AS ts, s.last_seen, s.events, s.device_key, s.remote_ip, s.remote_port,
         s.process_key, s.action_keys,
         -- the direction most like a Tor client's among the hour's connections
         CASE WHEN s.directions & 1 <> 0 THEN 'outbound' WHEN s.directions & 8 <> 0 THEN 'unknown'
              WHEN s.directions & 2 <> 0 THEN 'inbound' ELSE 'listening' END AS direction,
         array_remove(array_agg(DISTINCT a.fingerprint ORDER BY a.fingerprint), '') AS fingerprints,
         bool_or(a.kind <> 'exit' AND a.port = s.remote_port) AS port_match,
         bool_or(a.kind = 'exit') AS via_exit,
         bool_or(a.kind <> 'exit') AS via_or,
         bool_or(s.last_seen >= a.valid_from AND s.first_seen <= a.valid_to) AS strict,
         array_agg(DISTINCT CASE WHEN a.evidence = 'consensus' THEN 'consensus' WHEN a.kind = 'exit' THEN 'exit-list'
                                 ELSE 'snapshot' END) AS evidence
  FROM candidate_summary s
  JOIN relay_address a ON a.ip = s.remote_ip
   AND s.last_seen >= a.valid_from - ${GRACE_SQL} AND s.first_seen <= a.valid_to + ${GRACE_SQL}
  GROUP BY s.id, s.first_seen, s.last_seen, s.events, s.device_key, s.remote_ip, s.remote_port, s.process_key,
           s.action_keys, s.directions`;

/**
 * Writes the hits of run_summary_match, keyed by summary_id, with the strings of the dictionaries (device,
 * process_image, action_type: the hour's action types joined with ', '). Relay metadata as matchSql's upsert: a
 * single relay's row, or for a shared address the nicknames by fingerprint, the union of flags, the commonest country.
 */
export const UPSERT_SUMMARY_HITS_SQL = `
  WITH relay_meta AS (
    SELECT m.summary_id,
           array_agg(r.nickname ORDER BY r.fingerprint) FILTER (WHERE r.nickname IS NOT NULL) AS nicknames,
           mode() WITHIN GROUP (ORDER BY r.country) AS country,
           bool_or('Exit' = ANY (r.flags)) AS any_exit_flag,
           ARRAY(SELECT DISTINCT f FROM relay r2, unnest(r2.flags) AS f WHERE r2.fingerprint = ANY (m.fingerprints) ORDER BY f) AS flags
    FROM run_summary_match m CROSS JOIN LATERAL unnest(m.fingerprints) AS fp(fingerprint)
    JOIN relay r ON r.fingerprint = fp.fingerprint
    GROUP BY m.summary_id, m.fingerprints
  ), scored AS (
    SELECT m.*, GREATEST(${BASE_CONFIDENCE}, 0) AS level, rel.nicknames, rel.flags, rel.country, rel.any_exit_flag,
           dev.device_id, dev.device_name, p.file_name, p.folder_path, p.sha256,
           (SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM action_type t WHERE t.action_key = ANY (m.action_keys)) AS action_type,
           COALESCE(pub_before.public_ip, CASE WHEN pub_before.found IS NULL THEN pub_after.public_ip END) AS local_public_ip
    FROM run_summary_match m
    JOIN device dev ON dev.device_key = m.device_key
    LEFT JOIN process_image p ON p.process_key = m.process_key
    LEFT JOIN relay_meta rel ON rel.summary_id = m.summary_id
    LEFT JOIN LATERAL (
      SELECT d.public_ip, true AS found FROM device_info_record d
      WHERE d.device_id = dev.device_id AND d.ts <= m.ts ORDER BY d.ts DESC LIMIT 1
    ) pub_before ON true
    LEFT JOIN LATERAL (
      SELECT d.public_ip FROM device_info_record d
      WHERE d.device_id = dev.device_id AND d.ts > m.ts ORDER BY d.ts ASC LIMIT 1
    ) pub_after ON true
  )
  INSERT INTO hit AS h (summary_id, precision, summary_events, summary_last_seen, ts, device_id, device_name, local_ip,
                        local_public_ip, remote_ip, remote_port, action_type, direction, process_file_name,
                        process_folder_path, process_sha256, relay_fingerprints, relay_nicknames, relay_flags, country,
                        port_match, is_exit, via_exit_address, evidence, confidence, match_run_id)
  SELECT summary_id, 'hour', events, last_seen, ts, device_id, device_name, NULL, local_public_ip, remote_ip, remote_port,
         action_type, direction, file_name, folder_path, sha256, fingerprints, COALESCE(nicknames, '{}'),
         COALESCE(flags, '{}'), country, port_match, via_exit OR COALESCE(any_exit_flag, false), via_exit AND NOT via_or,
         evidence, (ARRAY['low', 'medium', 'high'])[level + 1], $1::int
  FROM scored
  ON CONFLICT (summary_id) DO UPDATE SET
    summary_events = EXCLUDED.summary_events, summary_last_seen = EXCLUDED.summary_last_seen, ts = EXCLUDED.ts,
    action_type = EXCLUDED.action_type, direction = EXCLUDED.direction,
    local_public_ip = EXCLUDED.local_public_ip, relay_fingerprints = EXCLUDED.relay_fingerprints,
    relay_nicknames = EXCLUDED.relay_nicknames, relay_flags = EXCLUDED.relay_flags, country = EXCLUDED.country,
    port_match = EXCLUDED.port_match, is_exit = EXCLUDED.is_exit, via_exit_address = EXCLUDED.via_exit_address,
    evidence = EXCLUDED.evidence, confidence = EXCLUDED.confidence, evidence_valid = true, updated_at = now()
  WHERE (h.summary_events, h.summary_last_seen, h.ts, h.action_type, h.direction, h.local_public_ip,
         h.relay_fingerprints, h.relay_nicknames, h.relay_flags, h.country, h.port_match, h.is_exit,
         h.via_exit_address, h.evidence, h.confidence, h.evidence_valid)
    IS DISTINCT FROM (EXCLUDED.summary_events, EXCLUDED.summary_last_seen, EXCLUDED.ts, EXCLUDED.action_type,
         EXCLUDED.direction, EXCLUDED.local_public_ip, EXCLUDED.relay_fingerprints, EXCLUDED.relay_nicknames,
         EXCLUDED.relay_flags, EXCLUDED.country, EXCLUDED.port_match, EXCLUDED.is_exit, EXCLUDED.via_exit_address,
         EXCLUDED.evidence, EXCLUDED.confidence, true)
  RETURNING (xmax = 0) AS inserted`;
