-- The KPI read model (lib/queries/getKpiReport.ts, docs/architecture.md §8.5.1) reads every hit and every episode of
-- up to 12 months. These covering indexes hold exactly the columns it reads, so PostgreSQL answers with index-only
-- scans over a few MB instead of the wide hit and episode rows (relay arrays, paths, addresses). Prisma's schema
-- cannot express INCLUDE, so they live here only (schema.prisma names them in a comment).
CREATE INDEX "hit_kpi_idx" ON "hit" ("ts") INCLUDE ("device_id", "evidence_valid", "status", "confidence", "is_exit", "triaged_at", "first_matched_at", "process_file_name", "process_folder_path");

CREATE INDEX "episode_kpi_idx" ON "episode" ("last_seen") INCLUDE ("first_seen", "status");
