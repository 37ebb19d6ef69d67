import type { PoolClient } from 'pg';
import { withRefreshDeferred } from './deferRefresh';
import { episodeGapHours, processKeySql } from './episodeGap';

// Incremental episode maintenance (README "Episodes"). Runs inside the match run's transaction (an after-match step)
// and needs nothing from the run but its id: the work is found in the data itself —
//   change points: hits that are valid without an episode (new or restored), hits withdrawn that still have one, and
//   times where hits were deleted (episode_pending, filled by the delete trigger);
//   for each point t, the episodes of its (device, process) within the gap of t could merge or split, so the region
//   [earliest of them, latest of them] is re-segmented; regions within the gap of each other are merged (islands).
//   No hit outside an island changes episode, so only the affected groups — and only near the change — are touched.
// Ids are kept where possible: each old episode in an island passes its id to the earliest new episode overlapping it;
// a new episode that receives several ids keeps the smallest (the oldest), one that receives none gets a new id. A
// merged episode therefore keeps the older id, and after a split the earlier part keeps it. The triage decision goes
// with the id; a part split off under a new id takes the decision of the oldest episode it came from. A hit joining
// an episode with a decision (a new or restored hit still `new`) takes that decision.
// The figures (counts, relays, status…) are recomputed by one episode_refresh() at the end, for the islands' episodes.

export interface EpisodeMaintenance {
  islands: number;
  created: number;
  removed: number;
  hitsPlaced: number;
}

const Q = processKeySql('h');

// Few statements, each probing the (device_id, ts) and (device_id, process_key, first_seen) indexes per island through
// LATERAL subqueries (OFFSET 0 keeps them from being flattened): the temp tables have no statistics, and an
// incremental run pays per statement, so the step stays small next to the match itself.
export async function maintainEpisodes(
  client: Pick<PoolClient, 'query'>,
  options: { runId?: number | null; rebuild?: boolean } = {},
): Promise<EpisodeMaintenance> {
  const gap = `${episodeGapHours()} hours`;
  const none = { islands: 0, created: 0, removed: 0, hitsPlaced: 0 };
  // The common case of a match run (its new hits already placed, nothing withdrawn or deleted): one probe of the
  // partial index and of episode_pending, no temp tables.
  if (!options.rebuild) {
    const pending = await client.query(`
      SELECT EXISTS (SELECT 1 FROM hit h WHERE (h.episode_id IS NULL) = h.evidence_valid)
          OR EXISTS (SELECT 1 FROM episode_pending) AS any`);
    if (!pending.rows[0].any) return none;
  }
  // Each change point's span — itself and the episodes of its group within the gap of it — merged into islands. A
  // rebuild makes every group one island (lo = -infinity), read with plain scans instead of probes per point.
  const islands = options.rebuild
    ? await client.query(`
      CREATE TEMP TABLE ep_island ON COMMIT DROP AS
      WITH pending AS (DELETE FROM episode_pending) -- runs whether read or not: the rebuild covers every deletion
      SELECT device_id, process_key, '-infinity'::timestamptz AS lo, 'infinity'::timestamptz AS hi FROM (
        SELECT h.device_id, ${Q} AS process_key FROM hit h WHERE h.evidence_valid
        UNION SELECT device_id, process_key FROM episode
      ) g`)
    : await client.query(
        `
    CREATE TEMP TABLE ep_island ON COMMIT DROP AS
    WITH pending AS (DELETE FROM episode_pending RETURNING device_id, process_key, ts),
    point AS (
      SELECT h.device_id, ${Q} AS process_key, h.ts FROM hit h WHERE (h.episode_id IS NULL) = h.evidence_valid
      UNION SELECT device_id, process_key, ts FROM pending
    ), span AS (
      SELECT p.device_id, p.process_key, p.ts, LEAST(p.ts, near.lo) AS lo, GREATEST(p.ts, near.hi) AS hi
      FROM point p CROSS JOIN LATERAL (
        SELECT min(e.first_seen) AS lo, max(e.last_seen) AS hi FROM episode e
        WHERE e.device_id = p.device_id AND e.process_key = p.process_key
          AND e.first_seen <= p.ts + $1::interval AND e.last_seen >= p.ts - $1::interval
      ) near
    ), starts AS (
      SELECT *, CASE WHEN lo - max(hi) OVER (PARTITION BY device_id, process_key ORDER BY lo, hi
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) <= $1::interval
                     THEN 0 ELSE 1 END AS starts
      FROM span
    ), numbered AS (
      SELECT *, sum(starts) OVER (PARTITION BY device_id, process_key ORDER BY lo, hi) AS island FROM starts
    )
    SELECT device_id, process_key, min(lo) AS lo, max(hi) AS hi
    FROM numbered GROUP BY device_id, process_key, island`,
        [gap],
      );
  if (!islands.rowCount) {
    await client.query('DROP TABLE ep_island');
    return none;
  }
  // The valid hits of each island, segmented (a gap of more than the episode gap starts a new episode), and the old
  // episodes each island replaces.
  const members = options.rebuild
    ? `SELECT h.id, h.episode_id AS old_episode_id, h.device_id, ${Q} AS process_key, '-infinity'::timestamptz AS lo, h.ts
       FROM hit h WHERE h.evidence_valid`
    : `SELECT h.id, h.old_episode_id, i.device_id, i.process_key, i.lo, h.ts
       FROM ep_island i CROSS JOIN LATERAL (
         SELECT h.id, h.episode_id AS old_episode_id, h.ts FROM hit h
         WHERE h.device_id = i.device_id AND h.ts BETWEEN i.lo AND i.hi AND h.evidence_valid AND ${Q} = i.process_key
         OFFSET 0
       ) h`;
  const segmented = await client.query(
    `
    CREATE TEMP TABLE ep_seg ON COMMIT DROP AS
    SELECT id, old_episode_id, device_id, process_key, lo, ts,
           sum(starts) OVER (PARTITION BY device_id, process_key, lo ORDER BY ts, id) AS seq
    FROM (
      SELECT m.*, CASE WHEN m.ts - lag(m.ts) OVER w <= $1::interval THEN 0 ELSE 1 END AS starts
      FROM (${members}) m
      WINDOW w AS (PARTITION BY m.device_id, m.process_key, m.lo ORDER BY m.ts, m.id)
    ) s`,
    [gap],
  );
  // A rebuild's old episodes are all of them (one island per group).
  const oldColumns = `e.id, e.device_id, e.process_key, e.first_seen, e.last_seen, e.decided_status, e.decided_assignee_id,
                      e.decided_by, e.decided_at`;
  await client.query(
    options.rebuild
      ? `CREATE TEMP TABLE ep_old ON COMMIT DROP AS SELECT ${oldColumns}, '-infinity'::timestamptz AS lo FROM episode e`
      : `
    CREATE TEMP TABLE ep_old ON COMMIT DROP AS
    SELECT e.*, i.lo FROM ep_island i CROSS JOIN LATERAL (
      SELECT ${oldColumns}
      FROM episode e WHERE e.device_id = i.device_id AND e.process_key = i.process_key
        AND e.first_seen >= i.lo AND e.first_seen <= i.hi AND e.last_seen <= i.hi
      OFFSET 0
    ) e`,
  );
  // A large batch (a first match, a rebuild): give the planner real counts and an index, or its joins over these
  // statistics-less tables become nested loops that grow with the square of the hits.
  const large = (segmented.rowCount ?? 0) > 2000;
  if (large) await client.query('CREATE INDEX ON ep_old (device_id, process_key, lo); ANALYZE ep_seg, ep_old');
  // Ids: each old episode goes to the earliest new episode overlapping it; a new one keeps the smallest it receives,
  // and one that receives none takes its decision from the oldest episode it overlaps (source_id).
  const OVERLAP = `n.device_id = o.device_id AND n.process_key = o.process_key AND n.lo = o.lo
                   AND n.first_seen <= o.last_seen AND n.last_seen >= o.first_seen`;
  await client.query(`
    CREATE TEMP TABLE ep_new ON COMMIT DROP AS
    WITH n AS (
      SELECT device_id, process_key, lo, seq, min(ts) AS first_seen, max(ts) AS last_seen
      FROM ep_seg GROUP BY device_id, process_key, lo, seq
    ), claim AS (
      SELECT DISTINCT ON (o.id) o.id AS old_id, n.device_id, n.process_key, n.lo, n.seq
      FROM ep_old o JOIN n ON ${OVERLAP} ORDER BY o.id, n.first_seen
    ), kept AS (
      SELECT device_id, process_key, lo, seq, min(old_id) AS id FROM claim GROUP BY device_id, process_key, lo, seq
    )
    SELECT n.*, k.id, COALESCE(k.id, (SELECT min(o.id) FROM ep_old o WHERE ${OVERLAP})) AS source_id
    FROM n LEFT JOIN kept k ON k.device_id = n.device_id AND k.process_key = n.process_key AND k.lo = n.lo AND k.seq = n.seq`);
  if (large) await client.query('ANALYZE ep_new');
  const removed = await client.query(`
    DELETE FROM episode WHERE id IN (SELECT id FROM ep_old) AND id NOT IN (SELECT id FROM ep_new WHERE id IS NOT NULL)`);
  const created = await client.query(
    `
    WITH fresh AS (
      UPDATE ep_new SET id = nextval(pg_get_serial_sequence('episode', 'id')) WHERE id IS NULL RETURNING *
    )
    INSERT INTO episode (id, device_id, process_key, first_seen, last_seen, decided_status, decided_assignee_id,
                         decided_by, decided_at, match_run_id)
    SELECT f.id, f.device_id, f.process_key, f.first_seen, f.last_seen, o.decided_status, o.decided_assignee_id,
           o.decided_by, o.decided_at, $1::int
    FROM fresh f LEFT JOIN ep_old o ON o.id = f.source_id`,
    [options.runId ?? null],
  );
  // Place the hits, and take withdrawn hits out of their episodes, in one statement, with the trigger's refresh
  // deferred; then one set-based refresh of the island's episodes and of those withdrawn hits left (a statement-level
  // trigger would recompute the same episodes, but once per statement that moves hits). A hit joining an episode that
  // carries a triage decision — one that had no episode (new or restored) and is still `new` — takes the decision.
  const joining = `(c.may_join AND h.status = 'new')`;
  await client.query('CREATE TEMP TABLE ep_left (id bigint) ON COMMIT DROP');
  const placed = await withRefreshDeferred(client, () =>
    client.query(`
    WITH moved AS (
      UPDATE hit h SET episode_id = c.episode_id,
             status = CASE WHEN ${joining} THEN c.decided_status ELSE h.status END,
             assignee_id = CASE WHEN ${joining} AND c.decided_assignee_id IS NOT NULL THEN c.decided_assignee_id ELSE h.assignee_id END,
             triaged_at = CASE WHEN ${joining} THEN now() ELSE h.triaged_at END,
             updated_at = CASE WHEN ${joining} THEN now() ELSE h.updated_at END
      FROM (
        SELECT s.id, n.id AS episode_id, s.old_episode_id, s.old_episode_id IS NULL AND d.decided_status IS NOT NULL AS may_join,
               d.decided_status, d.decided_assignee_id
        FROM ep_seg s
        JOIN ep_new n ON n.device_id = s.device_id AND n.process_key = s.process_key AND n.lo = s.lo AND n.seq = s.seq
        LEFT JOIN ep_old d ON d.id = n.source_id
        WHERE s.old_episode_id IS DISTINCT FROM n.id
        UNION ALL
        SELECT w.id, NULL, w.episode_id, false, NULL, NULL FROM hit w
        WHERE (w.episode_id IS NULL) = w.evidence_valid AND NOT w.evidence_valid
      ) c
      WHERE h.id = c.id
      RETURNING c.old_episode_id
    )
    INSERT INTO ep_left SELECT old_episode_id FROM moved`),
  );
  // After a large batch the episode table's statistics are stale (a first build: analysed while empty), and the
  // planner, taking it for a few rows, joins it to the refresh's id list by a nested loop over both — quadratic (a
  // second rebuild of 26 k episodes ran for minutes). Fresh statistics make it probe by id.
  if (large) await client.query('ANALYZE episode');
  await client.query(`SELECT episode_refresh(ARRAY(SELECT id FROM ep_new UNION SELECT id FROM ep_left))`);
  await client.query('DROP TABLE ep_island, ep_seg, ep_old, ep_new, ep_left');
  return {
    islands: islands.rowCount ?? 0,
    created: created.rowCount ?? 0,
    removed: removed.rowCount ?? 0,
    hitsPlaced: placed.rowCount ?? 0,
  };
}
