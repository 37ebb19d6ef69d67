-- AlterTable
ALTER TABLE "hit" ADD COLUMN     "episode_id" BIGINT;

-- AlterTable
ALTER TABLE "webhook" ADD COLUMN     "alert_per" TEXT NOT NULL DEFAULT 'episode';

-- CreateTable
CREATE TABLE "episode" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "device_name" TEXT,
    "process_key" TEXT NOT NULL,
    "process_file_name" TEXT,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,
    "hit_count" INTEGER NOT NULL DEFAULT 0,
    "open_hits" INTEGER NOT NULL DEFAULT 0,
    "relay_fingerprints" TEXT[],
    "country_codes" TEXT[],
    "ports" INTEGER[],
    "max_confidence" TEXT NOT NULL DEFAULT 'low',
    "is_exit" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'new',
    "decided_status" TEXT,
    "decided_assignee_id" TEXT,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(6),
    "match_run_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "episode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "episode_pending" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "process_key" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "episode_pending_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "episode_device_id_process_key_first_seen_idx" ON "episode"("device_id", "process_key", "first_seen");

-- CreateIndex
CREATE INDEX "episode_last_seen_id_idx" ON "episode"("last_seen" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "episode_status_last_seen_idx" ON "episode"("status", "last_seen");

-- CreateIndex
CREATE INDEX "hit_episode_id_idx" ON "hit"("episode_id");

-- ── Episodes: hand-written (lib/episodes/, README "Episodes") ──

-- Hits the next episode maintenance must place: valid without an episode (new or restored), or withdrawn with one.
CREATE INDEX "hit_episode_pending_idx" ON "hit" ("device_id") WHERE ("episode_id" IS NULL) = "evidence_valid";

-- Recomputes the aggregates of the given episodes from their valid hits, and deletes an episode left without hits.
-- The single definition of an episode's figures: the maintenance and the hit triggers below both use it. The ids are
-- joined as a set (unnest), never tested with = ANY per row, which would grow with ids × hits.
CREATE FUNCTION episode_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $fn$
  WITH member AS (
    SELECT h.* FROM unnest(ids) AS x(id) JOIN hit h ON h.episode_id = x.id WHERE h.evidence_valid
  ), relays AS (
    SELECT m.episode_id, array_agg(DISTINCT f ORDER BY f) AS fingerprints
    FROM member m CROSS JOIN LATERAL unnest(m.relay_fingerprints) AS f GROUP BY m.episode_id
  ), figures AS (
    SELECT m.episode_id AS id,
           (array_agg(m.device_name ORDER BY m.ts DESC, m.id DESC) FILTER (WHERE m.device_name IS NOT NULL))[1] AS device_name,
           mode() WITHIN GROUP (ORDER BY m.process_file_name) AS process_file_name,
           min(m.ts) AS first_seen, max(m.ts) AS last_seen, count(*)::int AS hit_count,
           (count(*) FILTER (WHERE m.status IN ('new', 'investigating')))::int AS open_hits,
           COALESCE(array_agg(DISTINCT m.country ORDER BY m.country) FILTER (WHERE m.country IS NOT NULL), '{}') AS country_codes,
           COALESCE(array_agg(DISTINCT m.remote_port ORDER BY m.remote_port) FILTER (WHERE m.remote_port IS NOT NULL), '{}') AS ports,
           (ARRAY['low', 'medium', 'high'])[max(CASE m.confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)] AS max_confidence,
           bool_or(m.is_exit) AS is_exit,
           (ARRAY['new', 'investigating', 'true_positive', 'benign', 'suppressed'])[
             min(CASE m.status WHEN 'new' THEN 1 WHEN 'investigating' THEN 2 WHEN 'true_positive' THEN 3 WHEN 'benign' THEN 4 ELSE 5 END)] AS status
    FROM member m GROUP BY m.episode_id
  ), updated AS (
    UPDATE episode e SET device_name = f.device_name, process_file_name = f.process_file_name,
           first_seen = f.first_seen, last_seen = f.last_seen, hit_count = f.hit_count, open_hits = f.open_hits,
           relay_fingerprints = COALESCE(r.fingerprints, '{}'), country_codes = f.country_codes, ports = f.ports,
           max_confidence = f.max_confidence, is_exit = f.is_exit, status = f.status, updated_at = now()
    FROM figures f LEFT JOIN relays r ON r.episode_id = f.id
    WHERE e.id = f.id
      AND (e.device_name, e.process_file_name, e.first_seen, e.last_seen, e.hit_count, e.open_hits, e.relay_fingerprints,
           e.country_codes, e.ports, e.max_confidence, e.is_exit, e.status)
      IS DISTINCT FROM (f.device_name, f.process_file_name, f.first_seen, f.last_seen, f.hit_count, f.open_hits,
           COALESCE(r.fingerprints, '{}'), f.country_codes, f.ports, f.max_confidence, f.is_exit, f.status)
  )
  DELETE FROM episode e WHERE e.id IN (SELECT unnest(ids)) AND NOT EXISTS (SELECT 1 FROM figures f WHERE f.id = e.id)
$fn$;

-- Any change to a member hit (triage, suppression, relay data, withdrawal, moving between episodes) refreshes the
-- episodes involved, whoever makes it. Statement-level with transition tables: one refresh per statement. The changed
-- rows are found with EXCEPT (hashed), not a join of the two transition tables, which have no index: a nested loop
-- over them would grow with the square of the rows a statement updates.
-- (The bodies are E'' strings with \073 for the semicolon: Prisma's pg adapter splits migration scripts at every semicolon)
CREATE FUNCTION hit_episode_update() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM episode_refresh(ARRAY(
    SELECT DISTINCT c.episode_id FROM (
      (SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM new_hit EXCEPT ALL SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM old_hit)
      UNION ALL
      (SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM old_hit EXCEPT ALL SELECT id, episode_id, status, evidence_valid, ts, relay_fingerprints, country, remote_port, confidence, is_exit, device_name, process_file_name FROM new_hit)
    ) c WHERE c.episode_id IS NOT NULL))\073
  RETURN NULL\073
END';

-- A deleted hit (an ingest batch or the demo removed) refreshes its episode now. The split it may cause is left to
-- the next maintenance, which re-examines the times recorded in episode_pending.
CREATE FUNCTION hit_episode_delete() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO episode_pending (device_id, process_key, ts)
  SELECT o.device_id, lower(COALESCE(o.process_file_name, '''')), o.ts FROM old_hit o WHERE o.episode_id IS NOT NULL\073
  PERFORM episode_refresh(ARRAY(SELECT DISTINCT o.episode_id FROM old_hit o WHERE o.episode_id IS NOT NULL))\073
  RETURN NULL\073
END';

CREATE TRIGGER hit_episode_update AFTER UPDATE ON hit REFERENCING OLD TABLE AS old_hit NEW TABLE AS new_hit
  FOR EACH STATEMENT EXECUTE FUNCTION hit_episode_update();
CREATE TRIGGER hit_episode_delete AFTER DELETE ON hit REFERENCING OLD TABLE AS old_hit
  FOR EACH STATEMENT EXECUTE FUNCTION hit_episode_delete();
