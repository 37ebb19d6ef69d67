-- The Trends page's world map counts the period's hits and devices per relay country (getHitBreakdown 'country',
-- docs/architecture.md §8.5.1) next to the KPI report. With `country` among the covering columns of hit_kpi_idx,
-- both read the same index only, instead of one heap fetch per hit of the period for the country. Hand-written like
-- the index it replaces (Prisma cannot express INCLUDE).
DROP INDEX IF EXISTS "hit_kpi_idx";

CREATE INDEX "hit_kpi_idx" ON "hit" ("ts") INCLUDE ("device_id", "evidence_valid", "status", "confidence", "is_exit", "triaged_at", "first_matched_at", "process_file_name", "process_folder_path", "country");
