-- Episodes at scale (issue 18 "Speed", docs/architecture.md §7.7).
--
-- 1. episode_refresh stays linear in the hits of the episodes it is given. The first version joined two CTEs
--    (figures, relays) and anti-joined the figures CTE — the planner estimates a CTE over unnest(ids) at a few rows and
--    chose nested loops over them, so refreshing 50,000 episodes compared 50,000 × 50,000 rows (a from-scratch build
--    at 50 k hits did not finish in 20 minutes). Now each episode is one LATERAL probe of hit_episode_id_idx (its
--    relays a second), and "left without hits" is an index probe as well.
CREATE OR REPLACE FUNCTION episode_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $fn$
  WITH target AS (
    SELECT DISTINCT x.id FROM unnest(ids) AS x(id) WHERE x.id IS NOT NULL
  ), figures AS (
    SELECT t.id, f.* FROM target t CROSS JOIN LATERAL (
      SELECT (array_agg(m.device_name ORDER BY m.ts DESC, m.id DESC) FILTER (WHERE m.device_name IS NOT NULL))[1] AS device_name,
             mode() WITHIN GROUP (ORDER BY m.process_file_name) AS process_file_name,
             min(m.ts) AS first_seen, max(m.ts) AS last_seen, count(*)::int AS hit_count,
             (count(*) FILTER (WHERE m.status IN ('new', 'investigating')))::int AS open_hits,
             (SELECT COALESCE(array_agg(DISTINCT r ORDER BY r), '{}') FROM hit x CROSS JOIN LATERAL unnest(x.relay_fingerprints) AS r
              WHERE x.episode_id = t.id AND x.evidence_valid) AS relay_fingerprints,
             COALESCE(array_agg(DISTINCT m.country ORDER BY m.country) FILTER (WHERE m.country IS NOT NULL), '{}') AS country_codes,
             COALESCE(array_agg(DISTINCT m.remote_port ORDER BY m.remote_port) FILTER (WHERE m.remote_port IS NOT NULL), '{}') AS ports,
             (ARRAY['low', 'medium', 'high'])[max(CASE m.confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)] AS max_confidence,
             bool_or(m.is_exit) AS is_exit,
             (ARRAY['new', 'investigating', 'true_positive', 'benign', 'suppressed'])[
               min(CASE m.status WHEN 'new' THEN 1 WHEN 'investigating' THEN 2 WHEN 'true_positive' THEN 3 WHEN 'benign' THEN 4 ELSE 5 END)] AS status
      FROM hit m WHERE m.episode_id = t.id AND m.evidence_valid
    ) f
    WHERE f.hit_count > 0
  ), updated AS (
    UPDATE episode e SET device_name = f.device_name, process_file_name = f.process_file_name,
           first_seen = f.first_seen, last_seen = f.last_seen, hit_count = f.hit_count, open_hits = f.open_hits,
           relay_fingerprints = f.relay_fingerprints, country_codes = f.country_codes, ports = f.ports,
           max_confidence = f.max_confidence, is_exit = f.is_exit, status = f.status, updated_at = now()
    FROM figures f
    WHERE e.id = f.id
      AND (e.device_name, e.process_file_name, e.first_seen, e.last_seen, e.hit_count, e.open_hits, e.relay_fingerprints,
           e.country_codes, e.ports, e.max_confidence, e.is_exit, e.status)
      IS DISTINCT FROM (f.device_name, f.process_file_name, f.first_seen, f.last_seen, f.hit_count, f.open_hits,
           f.relay_fingerprints, f.country_codes, f.ports, f.max_confidence, f.is_exit, f.status)
  )
  DELETE FROM episode e USING target t
  WHERE e.id = t.id AND NOT EXISTS (SELECT 1 FROM hit h WHERE h.episode_id = t.id AND h.evidence_valid)
$fn$;

-- 2. The episode code defers the update trigger's refresh while it moves hits itself (lib/episodes/deferRefresh.ts:
--    the transaction-local setting torwatch.episode_refresh = 'deferred'): it then writes the figures once, combined
--    or recomputed set-based at the end of its step, instead of the trigger recomputing every episode a statement
--    touched from all its hits. Triage, suppression and everyone else still get the immediate refresh.
CREATE OR REPLACE FUNCTION hit_episode_update() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF current_setting(''torwatch.episode_refresh'', true) = ''deferred'' THEN
    RETURN NULL\073
  END IF\073
  PERFORM episode_refresh(ARRAY(
    SELECT DISTINCT c.episode_id FROM (
      (SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM new_hit EXCEPT ALL SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM old_hit)
      UNION ALL
      (SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM old_hit EXCEPT ALL SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM new_hit)
    ) c WHERE c.episode_id IS NOT NULL))\073
  RETURN NULL\073
END';
