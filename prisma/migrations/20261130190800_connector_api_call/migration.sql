-- CreateTable
CREATE TABLE "connector_api_call" (
    "id" BIGSERIAL NOT NULL,
    "quota_key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_api_call_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "connector_api_call_quota_key_at_idx" ON "connector_api_call"("quota_key", "at");
