-- AlterTable
ALTER TABLE "hit" ADD COLUMN     "precision" TEXT NOT NULL DEFAULT 'event',
ADD COLUMN     "summary_events" INTEGER,
ADD COLUMN     "summary_id" BIGINT,
ADD COLUMN     "summary_last_seen" TIMESTAMPTZ(6),
ALTER COLUMN "event_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "retention_dropped_month" (
    "month" TIMESTAMPTZ(6) NOT NULL,
    "dropped_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "events" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "actor" TEXT NOT NULL,

    CONSTRAINT "retention_dropped_month_pkey" PRIMARY KEY ("month")
);

-- CreateIndex
CREATE UNIQUE INDEX "hit_summary_id_key" ON "hit"("summary_id");

-- A hit rests on one event or on one hourly summary, never both (docs/architecture.md §16.3).
ALTER TABLE "hit" ADD CONSTRAINT "hit_event_or_summary" CHECK (("event_id" IS NULL) <> ("summary_id" IS NULL));

-- Hourly connection summaries (docs/architecture.md §16.1), outside schema.prisma (partitioned, NULLS NOT DISTINCT):
-- one row per device, remote address, remote port, initiating process and hour, with the dictionary keys of the
-- compact network_event (device.device_key, process_image.process_key, action_type.action_key). Partitioned by month
-- of `hour` (connection_summary_yYYYYmMM, created on the spot by ingest), so summary retention drops partitions too.
-- `directions` is a bit set of the events' directions: 1 outbound, 2 inbound, 4 listening, 8 unknown.
CREATE SEQUENCE "connection_summary_id_seq" AS BIGINT;

CREATE TABLE "connection_summary" (
    "id" BIGINT NOT NULL DEFAULT nextval('connection_summary_id_seq'),
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "device_key" INTEGER NOT NULL,
    "remote_ip" INET NOT NULL,
    "remote_port" INTEGER,
    "process_key" INTEGER,
    "events" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,
    "action_keys" SMALLINT[] NOT NULL DEFAULT '{}',
    "directions" SMALLINT NOT NULL DEFAULT 0
) PARTITION BY RANGE ("hour");

ALTER SEQUENCE "connection_summary_id_seq" OWNED BY "connection_summary"."id";

-- The identity of a summary row: ingest upserts on it (a missing port or process is one value, not many).
CREATE UNIQUE INDEX "connection_summary_key" ON "connection_summary" ("device_key", "remote_ip", "remote_port", "process_key", "hour") NULLS NOT DISTINCT;

-- The summary match probes it per relay interval, as the event match probes network_event (remote_ip, ts).
CREATE INDEX "connection_summary_remote" ON "connection_summary" ("remote_ip", "hour");
