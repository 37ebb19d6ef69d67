-- The Episodes page (lib/queries/listEpisodesPage.ts, getEpisodeFilterOptions.ts, docs/architecture.md §8.4) at
-- 50 k episodes: the episode rows are wide (relay arrays, ports, decision, and the dead versions figure updates leave),
-- so a page and its count read the range's episodes from this covering index instead — every column the filter and
-- the sort keys use — with index-only scans, and the page then fetches its 50 rows by id (so does the Overview's
-- episode summary). Prisma cannot express INCLUDE (like hit_kpi_idx): hand-written, unknown to schema.prisma.
CREATE INDEX "episode_page_idx" ON "episode" ("last_seen" DESC, "id" DESC)
  INCLUDE ("first_seen", "status", "device_id", "device_name", "process_key", "process_file_name", "max_confidence",
           "is_exit", "hit_count", "country_codes");

-- The filter's action, direction and port match select episodes with at least one such valid hit: answered from
-- this index (index-only, per episode) instead of the wide hit rows or a scan of every hit.
CREATE INDEX "hit_episode_facts_idx" ON "hit" ("episode_id") INCLUDE ("action_type", "direction", "port_match")
  WHERE "evidence_valid";
