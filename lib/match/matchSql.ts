// The relay join (docs/architecture.md §7.1) as SQL. One definition of "a relay address at time t" — the event's
// remote address equals an interval's address and the event time lies in [valid_from − grace, valid_to + grace] —
// shared by every mode; the modes only differ in which events are candidates.
//
// Parameters: matchedEventsSql $1 = grace of snapshot lists (interval text, e.g. "24 hours"), $2 = grace of consensus
// history ("1 hours"), chosen per interval by its evidence (GRACE_SQL); UPSERT_HITS_SQL $1 = match_run id, and it
// writes new hits with the episode the temp table run_episode names (lib/match/afterMatch.ts, HitPlacement).
// Scope 'candidates': the events whose ids are in the temp table candidate_event; 'all': every event.

import { GRACE_SQL, WIDEST_GRACE_SQL } from './grace';

const EVENT_COLUMNS = `e.id, e.ts, e.device_id, e.device_name, e.local_ip, e.remote_ip, e.remote_port, e.action_type, e.direction,
  e.process_file_name, e.process_folder_path, e.process_sha256`;

const RELAY_AGGREGATES = `
  array_remove(array_agg(DISTINCT a.fingerprint ORDER BY a.fingerprint), '') AS fingerprints,
  bool_or(a.kind <> 'exit' AND a.port = e.remote_port) AS port_match,
  bool_or(a.kind = 'exit') AS via_exit,
  bool_or(a.kind <> 'exit') AS via_or,
  bool_or(e.ts BETWEEN a.valid_from AND a.valid_to) AS strict,
  array_agg(DISTINCT CASE WHEN a.evidence = 'consensus' THEN 'consensus' WHEN a.kind = 'exit' THEN 'exit-list' ELSE 'snapshot' END) AS evidence`;

export function matchedEventsSql(scope: 'candidates' | 'all', layout: 'single' | 'citus' = 'single'): string {
  if (scope === 'all' && layout === 'citus') {
    // On Citus (§17.2) the per-interval probe cannot be pushed down to the shards: the same predicate as a join, which
    // each worker runs over its shards with the intervals shipped to it.
    return `
      CREATE TEMP TABLE run_match ON COMMIT DROP AS
      SELECT e.id AS event_id, e.ts, e.device_id, e.device_name, e.local_ip, e.remote_ip, e.remote_port, e.action_type,
             e.direction, e.process_file_name, e.process_folder_path, e.process_sha256, ${RELAY_AGGREGATES}
      FROM network_event_wide e
      JOIN relay_address a ON a.ip = e.remote_ip
       AND e.ts BETWEEN a.valid_from - ${GRACE_SQL} AND a.valid_to + ${GRACE_SQL}
      GROUP BY ${EVENT_COLUMNS}`;
  }
  if (scope === 'all') {
    // Every event: driven by the relay addresses through the remote_ip index, one probe per address over the time
    // its intervals span, so the cost follows the number of addresses and hits, not the size of the event table (a
    // hash join would read every event); the intervals then test each event's time. One probe per address rather than
    // per interval: the index holds no time, and an address's hour-exact history has many intervals (§4.6). OFFSET 0
    // keeps the planner from flattening the probe back into a join over the whole table.
    return `
      CREATE TEMP TABLE run_match ON COMMIT DROP AS
      SELECT e.id AS event_id, e.ts, e.device_id, e.device_name, e.local_ip, e.remote_ip, e.remote_port, e.action_type,
             e.direction, e.process_file_name, e.process_folder_path, e.process_sha256, ${RELAY_AGGREGATES}
      FROM (SELECT ip, min(valid_from) AS valid_from, max(valid_to) AS valid_to FROM relay_address GROUP BY ip) r
      CROSS JOIN LATERAL (
        SELECT ${EVENT_COLUMNS} FROM network_event_wide e
        WHERE e.remote_ip = r.ip AND e.ts BETWEEN r.valid_from - ${WIDEST_GRACE_SQL} AND r.valid_to + ${WIDEST_GRACE_SQL}
        OFFSET 0
      ) e
      JOIN relay_address a ON a.ip = e.remote_ip
       AND e.ts BETWEEN a.valid_from - ${GRACE_SQL} AND a.valid_to + ${GRACE_SQL}
      GROUP BY ${EVENT_COLUMNS}`;
  }
  // A candidate carries its event's (remote_ip, ts), so the event is found through that index in its partition. As a
  // plain join the planner multiplies the selectivities of remote_ip, ts and id and expects about one event for all
  // the candidates together, then joins the dictionaries and relay_address by a sequential scan per event (candidates
  // × devices + candidates × intervals: seconds for a 100,000-event batch, growing with the fleet and the relay
  // history). The probe as a LATERAL … LIMIT 1 (an id names one event) tells it one event per candidate, and it
  // probes the dictionaries' and relay_address's indexes instead (docs/architecture.md §7.2). Citus keeps the join:
  // it does not push a correlated LIMIT down to the shards.
  const probe =
    layout === 'citus'
      ? 'candidate_event c JOIN network_event_wide e ON e.remote_ip = c.remote_ip AND e.ts = c.ts AND e.id = c.id'
      : `candidate_event c CROSS JOIN LATERAL (
           SELECT * FROM network_event_wide e WHERE e.remote_ip = c.remote_ip AND e.ts = c.ts AND e.id = c.id LIMIT 1
         ) e`;
  return `
    CREATE TEMP TABLE run_match ON COMMIT DROP AS
    SELECT e.id AS event_id,
           e.ts, e.device_id, e.device_name, e.local_ip, e.remote_ip, e.remote_port, e.action_type, e.direction,
           e.process_file_name, e.process_folder_path, e.process_sha256, ${RELAY_AGGREGATES}
    FROM ${probe}
    JOIN relay_address a ON a.ip = e.remote_ip
     AND e.ts BETWEEN a.valid_from - ${GRACE_SQL} AND a.valid_to + ${GRACE_SQL}
    GROUP BY ${EVENT_COLUMNS}`;
}

// Confidence (documented in README "Confidence"): an outbound connection to a relay's advertised ORPort/DirPort is
// what a Tor client does — high. An OR/Dir address on another port, or an inbound connection on a relay port —
// medium. Contact only through an exit address (traffic leaving Tor, e.g. a web request) or inbound from a relay
// address — low. Evidence found only in the grace margin (outside the relay's listed interval) lowers it one step.
// Summary hits (summaryMatch.ts) are scored by the same expression.
export const BASE_CONFIDENCE = `
  CASE
    WHEN m.via_or AND m.port_match AND m.direction IN ('outbound', 'unknown') THEN 2
    WHEN m.via_or AND (m.direction IN ('outbound', 'unknown') OR m.port_match) THEN 1
    ELSE 0
  END - CASE WHEN m.strict THEN 0 ELSE 1 END`;

export const UPSERT_HITS_SQL = `
  WITH event_relay AS (
    -- An address that several relays share (rare): their metadata combined set-based (hash joins, not a subquery per
    -- hit). A hit with one relay — nearly all — takes that relay's row as it is (relay.flags is stored sorted and
    -- distinct), which spares three sorts per hit.
    SELECT m.event_id, r.fingerprint, r.nickname, r.country, r.flags
    FROM run_match m CROSS JOIN LATERAL unnest(m.fingerprints) AS fp(fingerprint) JOIN relay r ON r.fingerprint = fp.fingerprint
    WHERE cardinality(m.fingerprints) > 1
  ), relay_meta AS (
    SELECT event_id,
           array_agg(nickname ORDER BY fingerprint) FILTER (WHERE nickname IS NOT NULL) AS nicknames,
           mode() WITHIN GROUP (ORDER BY country) AS country,
           bool_or('Exit' = ANY (flags)) AS any_exit_flag
    FROM event_relay GROUP BY event_id
  ), relay_flag_set AS (
    SELECT event_id, array_agg(DISTINCT f ORDER BY f) AS flags FROM event_relay, unnest(flags) AS f GROUP BY event_id
  ), scored AS (
    SELECT m.*,
           GREATEST(${BASE_CONFIDENCE}, 0) AS level,
           CASE WHEN cardinality(m.fingerprints) > 1 THEN rel.nicknames WHEN one.nickname IS NOT NULL THEN ARRAY[one.nickname] END AS nicknames,
           CASE WHEN cardinality(m.fingerprints) > 1 THEN rf.flags ELSE one.flags END AS flags,
           CASE WHEN cardinality(m.fingerprints) > 1 THEN rel.country ELSE one.country END AS country,
           CASE WHEN cardinality(m.fingerprints) > 1 THEN rel.any_exit_flag ELSE 'Exit' = ANY (one.flags) END AS any_exit_flag,
           COALESCE(pub_before.public_ip, CASE WHEN pub_before.found IS NULL THEN pub_after.public_ip END) AS local_public_ip,
           placed.episode_id
    FROM run_match m
    LEFT JOIN run_episode placed ON placed.event_id = m.event_id
    LEFT JOIN relay one ON cardinality(m.fingerprints) = 1 AND one.fingerprint = m.fingerprints[1]
    LEFT JOIN relay_meta rel ON rel.event_id = m.event_id
    LEFT JOIN relay_flag_set rf ON rf.event_id = m.event_id
    LEFT JOIN LATERAL (
      SELECT d.public_ip, true AS found FROM device_info_record d
      WHERE d.device_id = m.device_id AND d.ts <= m.ts ORDER BY d.ts DESC LIMIT 1
    ) pub_before ON true
    LEFT JOIN LATERAL (
      SELECT d.public_ip FROM device_info_record d
      WHERE d.device_id = m.device_id AND d.ts > m.ts ORDER BY d.ts ASC LIMIT 1
    ) pub_after ON true
  )
  INSERT INTO hit AS h (event_id, ts, device_id, device_name, local_ip, local_public_ip, remote_ip, remote_port,
                        action_type, direction, process_file_name, process_folder_path, process_sha256,
                        relay_fingerprints, relay_nicknames, relay_flags, country, port_match, is_exit,
                        via_exit_address, evidence, confidence, match_run_id, episode_id)
  SELECT event_id, ts, device_id, device_name, local_ip, local_public_ip, remote_ip, remote_port,
         action_type, direction, process_file_name, process_folder_path, process_sha256,
         fingerprints, COALESCE(nicknames, '{}'), COALESCE(flags, '{}'), country, port_match,
         via_exit OR COALESCE(any_exit_flag, false), via_exit AND NOT via_or, evidence,
         (ARRAY['low', 'medium', 'high'])[level + 1], $1::int, episode_id
  FROM scored
  ON CONFLICT (event_id) DO UPDATE SET
    local_public_ip = EXCLUDED.local_public_ip, relay_fingerprints = EXCLUDED.relay_fingerprints,
    relay_nicknames = EXCLUDED.relay_nicknames, relay_flags = EXCLUDED.relay_flags, country = EXCLUDED.country,
    port_match = EXCLUDED.port_match, is_exit = EXCLUDED.is_exit, via_exit_address = EXCLUDED.via_exit_address,
    evidence = EXCLUDED.evidence, confidence = EXCLUDED.confidence, evidence_valid = true, updated_at = now()
  WHERE (h.local_public_ip, h.relay_fingerprints, h.relay_nicknames, h.relay_flags, h.country, h.port_match, h.is_exit,
         h.via_exit_address, h.evidence, h.confidence, h.evidence_valid)
    IS DISTINCT FROM (EXCLUDED.local_public_ip, EXCLUDED.relay_fingerprints, EXCLUDED.relay_nicknames,
         EXCLUDED.relay_flags, EXCLUDED.country, EXCLUDED.port_match, EXCLUDED.is_exit, EXCLUDED.via_exit_address,
         EXCLUDED.evidence, EXCLUDED.confidence, true)
  RETURNING (xmax = 0) AS inserted`;

/**
 * Settings for the candidates' statement on one node (SET LOCAL, then CANDIDATE_PROBE_RESET): each candidate's probe
 * tests its time on the rows of its address (docs/architecture.md §4.6). Planned as a BitmapAnd with the BRIN on ts
 * instead, it read the month's whole BRIN per candidate — linear in the partition's size (bench:history, 100 M
 * events: 1,060 ms for 1,000 candidates, 126 ms without bitmap scans).
 */
export const CANDIDATE_PROBE_SETTINGS = 'SET LOCAL enable_bitmapscan = off';
export const CANDIDATE_PROBE_RESET = 'SET LOCAL enable_bitmapscan = on';
