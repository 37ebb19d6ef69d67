import type { HitPlacement } from '@/lib/match/afterMatch';
import { withRefreshDeferred } from './deferRefresh';
import { episodeGapHours } from './episodeGap';

// Episodes for the run's new hits, decided before the match writes them (docs/architecture.md §7.7), so each new hit
// is inserted with its episode instead of being placed by a second UPDATE of the hit table (a non-HOT update through
// every index of `hit`, plus a trigger refresh of whole episodes).
//
// Adding hits never splits an episode: it can only extend one, start one, or bridge several. So the work needs only
// the new hits and the episodes within the gap of one of them (index probes on episode (device_id, process_key,
// first_seen)), never the hits of those episodes: new hits and nearby episodes, as intervals, are grouped into islands
// (a gap of more than the episode gap between an item and everything before it starts a new island). An island with
// no episode becomes a new episode (with the run's id: per-episode webhooks alert on it); otherwise the island keeps
// its smallest (oldest) episode id and decision, and the others' hits move to it (a merge — rare, and the only case
// that rewrites existing hits; the kept episode's figures are the parts' figures combined, not recounted). Withdrawn,
// restored and deleted hits are still handled by maintainEpisodes (the after-match step), which re-segments around
// them.
//
// Figures: after the upsert, an episode that only gained hits is brought up to date from its new hits alone (counts,
// first/last seen, relays, countries, ports, highest confidence, exit, status — all of which only grow); its spelling
// of the process (the most common) and its device name (the latest) too, unless a new hit could change them; a new
// episode starts empty and grows the same way. Those a new hit could change that way, and those where the upsert also
// changed existing hits (their trigger refresh already counted the new hits), are recomputed by episode_refresh().

const RANK_CONFIDENCE = (c: string) => `CASE ${c} WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const RANK_STATUS = (s: string) =>
  `CASE ${s} WHEN 'new' THEN 1 WHEN 'investigating' THEN 2 WHEN 'true_positive' THEN 3 WHEN 'benign' THEN 4 ELSE 5 END`;

async function place(client: Parameters<HitPlacement['place']>[0], runId: number): Promise<void> {
  const gap = `${episodeGapHours()} hours`;
  await client.query('CREATE TEMP TABLE ep_full (id bigint PRIMARY KEY) ON COMMIT DROP');
  // The run's events that will become new hits, and the episodes within the gap of one of them (one statement: an
  // incremental run pays per statement).
  const placed = await client.query(
    `
    CREATE TEMP TABLE ep_place ON COMMIT DROP AS
    WITH ep_in AS MATERIALIZED (
      SELECT m.event_id, m.device_id, lower(COALESCE(m.process_file_name, '')) AS process_key, m.process_file_name, m.ts
      FROM run_match m WHERE NOT EXISTS (SELECT 1 FROM hit h WHERE h.event_id = m.event_id)
    ),
    near AS (
      SELECT DISTINCT e.id, e.device_id, e.process_key, e.first_seen, e.last_seen
      FROM ep_in i CROSS JOIN LATERAL (
        SELECT e.id, e.device_id, e.process_key, e.first_seen, e.last_seen FROM episode e
        WHERE e.device_id = i.device_id AND e.process_key = i.process_key
          AND e.first_seen <= i.ts + $1::interval AND e.last_seen >= i.ts - $1::interval
        OFFSET 0
      ) e
    ), item AS (
      SELECT device_id, process_key, ts AS lo, ts AS hi, event_id, NULL::bigint AS episode_id, process_file_name FROM ep_in
      UNION ALL
      SELECT device_id, process_key, first_seen, last_seen, NULL, id, NULL FROM near
    ), starts AS (
      SELECT *, CASE WHEN lo - max(hi) OVER (PARTITION BY device_id, process_key ORDER BY lo, hi
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) <= $1::interval
                     THEN 0 ELSE 1 END AS starts
      FROM item
    ), numbered AS (
      SELECT *, sum(starts) OVER (PARTITION BY device_id, process_key ORDER BY lo, hi) AS island FROM starts
    )
    SELECT device_id, process_key, island, event_id, episode_id, process_file_name,
           min(episode_id) OVER w AS kept_id, min(lo) OVER w AS first_seen, max(hi) OVER w AS last_seen
    FROM numbered WINDOW w AS (PARTITION BY device_id, process_key, island)`,
    [gap],
  );
  if (!placed.rowCount) return; // no new hits (their items are the only way in)
  // Real counts for the joins below (a first match places thousands): without them the planner takes the table for a
  // few pages' worth and joins it to the new islands by a nested loop over both.
  await client.query('ANALYZE ep_place');
  // Islands without an episode: new episodes, with the run's id, empty (figures that only grow start at their least;
  // the process spelled as most of its new hits spell it), so that settle() adds their hits like any other's.
  await client.query(
    `
    WITH island AS (
      SELECT device_id, process_key, island, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
             mode() WITHIN GROUP (ORDER BY process_file_name) AS process_file_name
      FROM ep_place WHERE kept_id IS NULL GROUP BY device_id, process_key, island
    ), fresh AS (
      SELECT *, nextval(pg_get_serial_sequence('episode', 'id')) AS id FROM island
    ), created AS (
      INSERT INTO episode (id, device_id, process_key, process_file_name, first_seen, last_seen, hit_count, open_hits,
                           relay_fingerprints, country_codes, ports, max_confidence, is_exit, status, match_run_id)
      SELECT id, device_id, process_key, process_file_name, first_seen, last_seen, 0, 0, '{}', '{}', '{}', 'low', false,
             'suppressed', $1::int
      FROM fresh RETURNING id
    )
    UPDATE ep_place p SET kept_id = f.id FROM fresh f
    WHERE p.device_id = f.device_id AND p.process_key = f.process_key AND p.island = f.island`,
    [runId],
  );
  // Merges (rare: a late hit bridging two episodes): the island's other episodes hand their hits to the one it keeps,
  // whose figures are the parts' figures combined — counts add up, first/last seen, the distinct sets (relays,
  // countries, ports), highest confidence, exit and status combine, the device name is the latest part's that has one
  // (the parts of a group never overlap in time) — instead of a recount of all its hits. The process spelling (the
  // most common) combines only when the parts agree on it; otherwise the kept episode is recomputed after the upsert.
  // The hits move with the trigger's refresh deferred; settle() then adds the new hits.
  const merging = await client.query(`SELECT EXISTS (SELECT 1 FROM ep_place WHERE episode_id <> kept_id) AS any`);
  if (merging.rows[0].any) {
    await client.query(`
      CREATE TEMP TABLE ep_merge ON COMMIT DROP AS
      SELECT p.kept_id, e.* FROM ep_place p JOIN episode e ON e.id = p.episode_id
      WHERE p.kept_id IN (SELECT kept_id FROM ep_place WHERE episode_id <> kept_id)`);
    await client.query('ANALYZE ep_merge'); // a few rows: moving their hits then probes hit_episode_id_idx
    await client.query(`
      WITH relays AS (
        SELECT m.kept_id, array_agg(DISTINCT f ORDER BY f) AS v FROM ep_merge m, unnest(m.relay_fingerprints) f GROUP BY 1
      ), countries AS (
        SELECT m.kept_id, array_agg(DISTINCT c ORDER BY c) AS v FROM ep_merge m, unnest(m.country_codes) c GROUP BY 1
      ), ports AS (
        SELECT m.kept_id, array_agg(DISTINCT p ORDER BY p) AS v FROM ep_merge m, unnest(m.ports) p GROUP BY 1
      ), combined AS (
        SELECT m.kept_id, sum(m.hit_count)::int AS hit_count, sum(m.open_hits)::int AS open_hits,
               min(m.first_seen) AS first_seen, max(m.last_seen) AS last_seen,
               (array_agg(m.device_name ORDER BY m.last_seen DESC) FILTER (WHERE m.device_name IS NOT NULL))[1] AS device_name,
               count(DISTINCT m.process_file_name) AS spellings, max(m.process_file_name) AS process_file_name,
               max(${RANK_CONFIDENCE('m.max_confidence')}) AS confidence, bool_or(m.is_exit) AS is_exit,
               min(${RANK_STATUS('m.status')}) AS status
        FROM ep_merge m GROUP BY m.kept_id
      ), uncertain AS (
        INSERT INTO ep_full SELECT kept_id FROM combined WHERE spellings > 1 ON CONFLICT DO NOTHING
      )
      UPDATE episode e SET hit_count = c.hit_count, open_hits = c.open_hits, first_seen = c.first_seen,
             last_seen = c.last_seen, device_name = c.device_name, process_file_name = c.process_file_name,
             relay_fingerprints = COALESCE(r.v, '{}'), country_codes = COALESCE(k.v, '{}'), ports = COALESCE(p.v, '{}'),
             max_confidence = (ARRAY['low', 'medium', 'high'])[c.confidence], is_exit = c.is_exit,
             status = (ARRAY['new', 'investigating', 'true_positive', 'benign', 'suppressed'])[c.status],
             updated_at = now()
      FROM combined c LEFT JOIN relays r ON r.kept_id = c.kept_id LEFT JOIN countries k ON k.kept_id = c.kept_id
           LEFT JOIN ports p ON p.kept_id = c.kept_id
      WHERE e.id = c.kept_id AND c.spellings <= 1`);
    await withRefreshDeferred(client, () =>
      client.query(
        `UPDATE hit h SET episode_id = m.kept_id FROM ep_merge m WHERE h.episode_id = m.id AND m.id <> m.kept_id`,
      ),
    );
    await client.query(`DELETE FROM episode WHERE id IN (SELECT id FROM ep_merge WHERE id <> kept_id)`);
  }
  await client.query(
    'INSERT INTO run_episode (event_id, episode_id) SELECT event_id, kept_id FROM ep_place WHERE event_id IS NOT NULL',
  );
}

async function settle(client: Parameters<HitPlacement['settle']>[0]): Promise<void> {
  // Episodes the upsert also touched through existing hits (a re-match, a restored hit): its trigger has refreshed
  // them from all members, new ones included, so they are recomputed rather than added to.
  await client.query(`
    INSERT INTO ep_full
    SELECT DISTINCT h.episode_id FROM run_match m JOIN hit h ON h.event_id = m.event_id
    WHERE h.episode_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run_episode r WHERE r.event_id = m.event_id)
      AND h.episode_id IN (SELECT episode_id FROM run_episode)
    ON CONFLICT DO NOTHING`);
  // Episodes that only gained hits: their figures from the new hits alone, where the result is certain.
  const grown = `
    WITH incoming AS (
      SELECT h.* FROM run_episode r JOIN hit h ON h.event_id = r.event_id
      WHERE r.episode_id NOT IN (SELECT id FROM ep_full)
    ), relays AS (
      SELECT i.episode_id, array_agg(DISTINCT f) AS fingerprints
      FROM incoming i CROSS JOIN LATERAL unnest(i.relay_fingerprints) AS f GROUP BY i.episode_id
    ), added AS (
      SELECT i.episode_id AS id, count(*)::int AS hits,
             (count(*) FILTER (WHERE i.status IN ('new', 'investigating')))::int AS open_hits,
             min(i.ts) AS first_seen, max(i.ts) AS last_seen,
             array_agg(DISTINCT i.country) FILTER (WHERE i.country IS NOT NULL) AS countries,
             array_agg(DISTINCT i.remote_port) FILTER (WHERE i.remote_port IS NOT NULL) AS ports,
             max(${RANK_CONFIDENCE('i.confidence')}) AS confidence, bool_or(i.is_exit) AS is_exit,
             min(${RANK_STATUS('i.status')}) AS status,
             (array_agg(i.device_name ORDER BY i.ts DESC, i.id DESC) FILTER (WHERE i.device_name IS NOT NULL))[1] AS device_name,
             max(i.ts) FILTER (WHERE i.device_name IS NOT NULL) AS device_name_ts,
             array_agg(DISTINCT i.device_name) FILTER (WHERE i.device_name IS NOT NULL) AS device_names,
             array_agg(DISTINCT i.process_file_name) FILTER (WHERE i.process_file_name IS NOT NULL) AS processes
      FROM incoming i GROUP BY i.episode_id
    )`;
  // Certain: every new hit spells the process as the episode's (most common) spelling, and the device name is
  // unchanged or the new hits hold the latest one. The others are recomputed.
  const certain = `(a.processes IS NULL OR a.processes = ARRAY[e.process_file_name])
    AND (a.device_names IS NULL OR e.device_name IS NULL OR a.device_name_ts >= e.last_seen OR a.device_names = ARRAY[e.device_name])`;
  await client.query(`
    ${grown}, grew AS (
      UPDATE episode e SET
        hit_count = e.hit_count + a.hits, open_hits = e.open_hits + a.open_hits,
        first_seen = LEAST(e.first_seen, a.first_seen), last_seen = GREATEST(e.last_seen, a.last_seen),
        device_name = CASE WHEN a.device_name IS NOT NULL AND (e.device_name IS NULL OR a.device_name_ts >= e.last_seen)
                           THEN a.device_name ELSE e.device_name END,
        relay_fingerprints = ARRAY(SELECT DISTINCT f FROM unnest(e.relay_fingerprints || r.fingerprints) AS f ORDER BY f),
        country_codes = ARRAY(SELECT DISTINCT c FROM unnest(e.country_codes || a.countries) AS c ORDER BY c),
        ports = ARRAY(SELECT DISTINCT p FROM unnest(e.ports || a.ports) AS p ORDER BY p),
        max_confidence = (ARRAY['low', 'medium', 'high'])[GREATEST(${RANK_CONFIDENCE('e.max_confidence')}, a.confidence)],
        is_exit = e.is_exit OR a.is_exit,
        status = (ARRAY['new', 'investigating', 'true_positive', 'benign', 'suppressed'])[LEAST(${RANK_STATUS('e.status')}, a.status)],
        updated_at = now()
      FROM added a LEFT JOIN relays r ON r.episode_id = a.id
      WHERE e.id = a.id AND ${certain}
      RETURNING e.id
    )
    INSERT INTO ep_full SELECT id FROM added WHERE id NOT IN (SELECT id FROM grew) ON CONFLICT DO NOTHING`);
  await client.query('SELECT episode_refresh(ARRAY(SELECT id FROM ep_full))'); // none: nothing to do
  await client.query('DROP TABLE IF EXISTS ep_place, ep_merge, ep_full');
}

export const episodePlacement: HitPlacement = { place, settle };
