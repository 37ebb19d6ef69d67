// Episodes recomputed from all hits in one statement (window functions: a gap of more than $1 between consecutive
// valid hits of a device and process starts a new episode). The oracle the maintained table must equal (tests,
// `torwatch episodes --rebuild`); ids are not part of it, membership is (hit_ids). $1 = the gap (interval text).
export const EPISODES_FROM_SCRATCH_SQL = `
  WITH ordered AS (
    SELECT h.id, h.ts, h.device_id, h.device_name, h.process_file_name,
           lower(COALESCE(h.process_file_name, '')) AS process_key, h.status, h.country,
           h.remote_port, h.confidence, h.is_exit, h.relay_fingerprints,
           CASE WHEN h.ts - lag(h.ts) OVER (PARTITION BY h.device_id, lower(COALESCE(h.process_file_name, ''))
                                            ORDER BY h.ts, h.id) <= $1::interval THEN 0 ELSE 1 END AS starts
    FROM hit h WHERE h.evidence_valid
  ), numbered AS (
    SELECT *, sum(starts) OVER (PARTITION BY device_id, process_key ORDER BY ts, id) AS seq FROM ordered
  ), relays AS (
    SELECT device_id, process_key, seq, array_agg(DISTINCT f ORDER BY f) AS fingerprints
    FROM numbered CROSS JOIN LATERAL unnest(relay_fingerprints) AS f GROUP BY device_id, process_key, seq
  )
  SELECT n.device_id, n.process_key,
         (array_agg(n.device_name ORDER BY n.ts DESC, n.id DESC) FILTER (WHERE n.device_name IS NOT NULL))[1] AS device_name,
         mode() WITHIN GROUP (ORDER BY n.process_file_name) AS process_file_name, min(n.ts) AS first_seen, max(n.ts) AS last_seen, count(*)::int AS hit_count,
         (count(*) FILTER (WHERE n.status IN ('new', 'investigating')))::int AS open_hits,
         COALESCE(r.fingerprints, '{}') AS relay_fingerprints,
         COALESCE(array_agg(DISTINCT n.country ORDER BY n.country) FILTER (WHERE n.country IS NOT NULL), '{}') AS country_codes,
         COALESCE(array_agg(DISTINCT n.remote_port ORDER BY n.remote_port) FILTER (WHERE n.remote_port IS NOT NULL), '{}') AS ports,
         (ARRAY['low', 'medium', 'high'])[max(CASE n.confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)] AS max_confidence,
         bool_or(n.is_exit) AS is_exit,
         (ARRAY['new', 'investigating', 'true_positive', 'benign', 'suppressed'])[
           min(CASE n.status WHEN 'new' THEN 1 WHEN 'investigating' THEN 2 WHEN 'true_positive' THEN 3 WHEN 'benign' THEN 4 ELSE 5 END)] AS status,
         array_agg(n.id ORDER BY n.id) AS hit_ids
  FROM numbered n LEFT JOIN relays r ON r.device_id = n.device_id AND r.process_key = n.process_key AND r.seq = n.seq
  GROUP BY n.device_id, n.process_key, n.seq, r.fingerprints
  ORDER BY n.device_id, n.process_key, min(n.ts)`;

/** The maintained episodes in the same shape (and order) as EPISODES_FROM_SCRATCH_SQL, ids included. */
export const EPISODES_MAINTAINED_SQL = `
  SELECT e.id::text, e.device_id, e.process_key, e.device_name, e.process_file_name, e.first_seen, e.last_seen, e.hit_count, e.open_hits,
         e.relay_fingerprints, e.country_codes, e.ports, e.max_confidence, e.is_exit, e.status,
         ARRAY(SELECT h.id FROM hit h WHERE h.episode_id = e.id AND h.evidence_valid ORDER BY h.id) AS hit_ids
  FROM episode e ORDER BY e.device_id, e.process_key, e.first_seen`;
