-- CreateTable
CREATE TABLE "connector_api_call" (
    "id" BIGSERIAL NOT NULL,
    "quota_key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_api_call_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "connector_api_call_quota_key_at_idx" ON "connector_api_call"("quota_key", "at");

-- Reserves one call under a quota key, in one round trip (docs/architecture.md §6.5.2): under the transaction advisory
-- lock (0x7051 = 28753, hashtext(key)) it drops the key's calls older than the window and, below the limit, records
-- this one and returns NULL, and at the limit it returns the milliseconds until the oldest of the last `p_limit` calls
-- leaves the window. Each statement of the body takes its own snapshot, so it sees every reservation committed
-- before the lock was granted. (The body is an E'' string with \073 for the semicolon: Prisma's pg adapter splits
-- migration scripts at every semicolon.)
CREATE FUNCTION connector_reserve_call(p_key text, p_limit integer, p_window_ms double precision)
RETURNS double precision LANGUAGE plpgsql AS E'
DECLARE
  calls integer\073
  oldest timestamptz\073
BEGIN
  PERFORM pg_advisory_xact_lock(28753, hashtext(p_key))\073
  DELETE FROM connector_api_call
   WHERE quota_key = p_key AND at <= clock_timestamp() - p_window_ms * interval ''1 millisecond''\073
  SELECT count(*)::int, min(recent.at) INTO calls, oldest
    FROM (SELECT c.at FROM connector_api_call c WHERE c.quota_key = p_key ORDER BY c.at DESC LIMIT p_limit) recent\073
  IF calls < p_limit THEN
    INSERT INTO connector_api_call (quota_key, at) VALUES (p_key, clock_timestamp())\073
    RETURN NULL\073
  END IF\073
  RETURN extract(epoch FROM oldest + p_window_ms * interval ''1 millisecond'' - clock_timestamp()) * 1000\073
END';
