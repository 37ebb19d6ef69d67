-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "relay_feed" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "url" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "cron" TEXT,
    "etag" TEXT,
    "last_modified" TEXT,
    "last_fetch_at" TIMESTAMPTZ(6),
    "last_success_at" TIMESTAMPTZ(6),
    "last_status" TEXT,
    "last_error" TEXT,
    "last_snapshot_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_feed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relay_snapshot" (
    "id" SERIAL NOT NULL,
    "feed_id" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "source" TEXT,
    "observed_at" TIMESTAMPTZ(6) NOT NULL,
    "published_at" TIMESTAMPTZ(6),
    "imported_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sha256" TEXT NOT NULL,
    "relay_count" INTEGER NOT NULL,
    "address_count" INTEGER NOT NULL,
    "rejected_count" INTEGER NOT NULL,
    "lists_or" BOOLEAN NOT NULL,
    "forced" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "relay_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relay_snapshot_entry" (
    "id" BIGSERIAL NOT NULL,
    "snapshot_id" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "nickname" TEXT,
    "ip" INET NOT NULL,
    "port" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "hostname" TEXT,
    "country" TEXT,

    CONSTRAINT "relay_snapshot_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relay" (
    "fingerprint" TEXT NOT NULL,
    "nickname" TEXT,
    "country" TEXT,
    "flags" TEXT[],
    "as_number" TEXT,
    "as_name" TEXT,
    "hostnames" TEXT[],
    "first_seen" TIMESTAMPTZ(6),
    "last_seen" TIMESTAMPTZ(6),
    "running" BOOLEAN,
    "consensus_weight" BIGINT,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_pkey" PRIMARY KEY ("fingerprint")
);

-- CreateTable
CREATE TABLE "relay_address" (
    "id" BIGSERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "ip" INET NOT NULL,
    "port" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "valid_from" TIMESTAMPTZ(6) NOT NULL,
    "valid_to" TIMESTAMPTZ(6) NOT NULL,
    "first_snapshot_id" INTEGER NOT NULL,
    "last_snapshot_id" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_batch" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "rows_read" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "duplicate" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'running',
    "error" TEXT,
    "via" TEXT NOT NULL DEFAULT 'cli',
    "actor" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "duration_ms" INTEGER,
    "matched_at" TIMESTAMPTZ(6),

    CONSTRAINT "ingest_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_reject" (
    "id" BIGSERIAL NOT NULL,
    "batch_id" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "ingest_reject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device" (
    "device_id" TEXT NOT NULL,
    "device_name" TEXT,
    "os_platform" TEXT,
    "os_version" TEXT,
    "machine_group" TEXT,
    "attributes" JSONB,
    "first_seen" TIMESTAMPTZ(6),
    "last_seen" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "device_pkey" PRIMARY KEY ("device_id")
);

-- CreateTable
CREATE TABLE "device_info_record" (
    "id" BIGSERIAL NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "device_id" TEXT NOT NULL,
    "device_name" TEXT,
    "public_ip" INET,
    "report_id" TEXT NOT NULL,
    "batch_id" INTEGER,

    CONSTRAINT "device_info_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "network_event" (
    "id" BIGSERIAL NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "device_id" TEXT NOT NULL,
    "device_name" TEXT,
    "action_type" TEXT,
    "direction" TEXT NOT NULL,
    "remote_ip" INET,
    "remote_port" INTEGER,
    "remote_url" TEXT,
    "local_ip" INET,
    "local_port" INTEGER,
    "protocol" TEXT,
    "process_file_name" TEXT,
    "process_folder_path" TEXT,
    "process_sha256" TEXT,
    "process_command_line" TEXT,
    "process_account_name" TEXT,
    "process_id" BIGINT,
    "report_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "batch_id" INTEGER NOT NULL,
    "ingested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "match_run" (
    "id" SERIAL NOT NULL,
    "mode" TEXT NOT NULL,
    "trigger" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "events_scanned" BIGINT NOT NULL DEFAULT 0,
    "hits_new" INTEGER NOT NULL DEFAULT 0,
    "hits_updated" INTEGER NOT NULL DEFAULT 0,
    "hits_retired" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "details" JSONB,

    CONSTRAINT "match_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hit" (
    "id" BIGSERIAL NOT NULL,
    "event_id" BIGINT NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "device_id" TEXT NOT NULL,
    "device_name" TEXT,
    "local_ip" INET,
    "local_public_ip" INET,
    "remote_ip" INET NOT NULL,
    "remote_port" INTEGER,
    "action_type" TEXT,
    "direction" TEXT NOT NULL,
    "process_file_name" TEXT,
    "process_folder_path" TEXT,
    "process_sha256" TEXT,
    "relay_fingerprints" TEXT[],
    "relay_nicknames" TEXT[],
    "relay_flags" TEXT[],
    "country" TEXT,
    "port_match" BOOLEAN NOT NULL,
    "is_exit" BOOLEAN NOT NULL,
    "via_exit_address" BOOLEAN NOT NULL,
    "confidence" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "evidence_valid" BOOLEAN NOT NULL DEFAULT true,
    "assignee_id" TEXT,
    "suppression_rule_id" INTEGER,
    "triaged_at" TIMESTAMPTZ(6),
    "match_run_id" INTEGER,
    "first_matched_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hit_note" (
    "id" BIGSERIAL NOT NULL,
    "hit_id" BIGINT NOT NULL,
    "author_id" TEXT,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hit_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppression_rule" (
    "id" TEXT NOT NULL,
    "device_id" TEXT,
    "process_file_name" TEXT,
    "process_folder_path" TEXT,
    "process_sha256" TEXT,
    "relay_ip" INET,
    "relay_fingerprint" TEXT,
    "action_type" TEXT,
    "direction" TEXT,
    "reason" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6),

    CONSTRAINT "suppression_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'slack',
    "secret" TEXT,
    "min_confidence" TEXT NOT NULL DEFAULT 'high',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" INTEGER NOT NULL,
    "match_run_id" INTEGER,
    "hit_count" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "response_code" INTEGER,
    "error" TEXT,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(6),

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "role" TEXT,
    "banned" BOOLEAN DEFAULT false,
    "banReason" TEXT,
    "banExpires" TIMESTAMP(3),
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMP(3),

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "userId" TEXT NOT NULL,
    "impersonatedBy" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshTokenExpiresAt" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "lastRequest" BIGINT NOT NULL,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB,
    "ip" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "relay_feed_name_key" ON "relay_feed"("name");

-- CreateIndex
CREATE INDEX "relay_snapshot_lists_or_observed_at_idx" ON "relay_snapshot"("lists_or", "observed_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "relay_snapshot_feed_id_sha256_observed_at_key" ON "relay_snapshot"("feed_id", "sha256", "observed_at");

-- CreateIndex
CREATE INDEX "relay_snapshot_entry_snapshot_id_ip_idx" ON "relay_snapshot_entry"("snapshot_id", "ip");

-- CreateIndex
CREATE INDEX "relay_nickname_idx" ON "relay"("nickname");

-- CreateIndex
CREATE INDEX "relay_country_idx" ON "relay"("country");

-- CreateIndex
CREATE INDEX "relay_address_ip_valid_from_valid_to_idx" ON "relay_address"("ip", "valid_from", "valid_to");

-- CreateIndex
CREATE INDEX "relay_address_fingerprint_ip_port_kind_valid_to_idx" ON "relay_address"("fingerprint", "ip", "port", "kind", "valid_to");

-- CreateIndex
CREATE INDEX "ingest_batch_started_at_idx" ON "ingest_batch"("started_at" DESC);

-- CreateIndex
CREATE INDEX "ingest_batch_status_matched_at_idx" ON "ingest_batch"("status", "matched_at");

-- CreateIndex
CREATE INDEX "ingest_reject_batch_id_line_idx" ON "ingest_reject"("batch_id", "line");

-- CreateIndex
CREATE INDEX "device_device_name_idx" ON "device"("device_name");

-- CreateIndex
CREATE INDEX "device_info_record_device_id_ts_idx" ON "device_info_record"("device_id", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "device_info_record_device_id_report_id_ts_key" ON "device_info_record"("device_id", "report_id", "ts");

-- CreateIndex
CREATE INDEX "network_event_remote_ip_ts_idx" ON "network_event"("remote_ip", "ts");

-- CreateIndex
CREATE INDEX "network_event_batch_id_idx" ON "network_event"("batch_id");

-- CreateIndex
CREATE INDEX "network_event_ts_idx" ON "network_event"("ts");

-- CreateIndex
CREATE UNIQUE INDEX "network_event_identity" ON "network_event"("device_id", "report_id", "ts");

-- CreateIndex
CREATE INDEX "match_run_started_at_idx" ON "match_run"("started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "hit_event_id_key" ON "hit"("event_id");

-- CreateIndex
CREATE INDEX "hit_ts_id_idx" ON "hit"("ts" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hit_device_id_ts_idx" ON "hit"("device_id", "ts");

-- CreateIndex
CREATE INDEX "hit_country_ts_idx" ON "hit"("country", "ts");

-- CreateIndex
CREATE INDEX "hit_process_file_name_ts_idx" ON "hit"("process_file_name", "ts");

-- CreateIndex
CREATE INDEX "hit_status_ts_idx" ON "hit"("status", "ts");

-- CreateIndex
CREATE INDEX "hit_remote_ip_idx" ON "hit"("remote_ip");

-- CreateIndex
CREATE INDEX "hit_note_hit_id_created_at_idx" ON "hit_note"("hit_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_webhook_id_created_at_idx" ON "webhook_delivery"("webhook_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");

-- CreateIndex
CREATE INDEX "session_userId_idx" ON "session"("userId");

-- CreateIndex
CREATE INDEX "account_userId_idx" ON "account"("userId");

-- CreateIndex
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "rate_limit_key_key" ON "rate_limit"("key");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- AddForeignKey
ALTER TABLE "relay_snapshot" ADD CONSTRAINT "relay_snapshot_feed_id_fkey" FOREIGN KEY ("feed_id") REFERENCES "relay_feed"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relay_snapshot_entry" ADD CONSTRAINT "relay_snapshot_entry_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "relay_snapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_reject" ADD CONSTRAINT "ingest_reject_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ingest_batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hit_note" ADD CONSTRAINT "hit_note_hit_id_fkey" FOREIGN KEY ("hit_id") REFERENCES "hit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
