-- AlterTable
ALTER TABLE "ingest_batch" ADD COLUMN     "events_inserted" INTEGER NOT NULL DEFAULT 0;

-- Batches committed before this column: their events, counted once.
UPDATE "ingest_batch" b SET "events_inserted" = e.n
FROM (SELECT batch_id, count(*)::int AS n FROM "network_event" GROUP BY batch_id) e
WHERE e.batch_id = b.id;
