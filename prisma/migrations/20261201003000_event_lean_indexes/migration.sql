-- Two lean indexes instead of two per-row b-trees on time (docs/architecture.md §4.6), about 46 bytes an event less:
-- * `ts`: a BRIN (a few kilobytes a month) instead of the b-tree (~29 B an event). Nothing looks an event up by its
--   time alone any more: the identity check first keeps only the events inside their device's stored span
--   (device.first_seen … last_seen, which every writer widens in the batch's own transaction), then joins those with
--   the stored events of their time range, which the BRIN narrows to the block ranges that can hold them.
-- * `remote_ip` alone instead of (`remote_ip`, `ts`): the match and the hit detail look events up by address and test
--   the time on the row: entries of one address share a posting list (~25 B an event instead of ~43 on addresses
--   that rarely repeat, far less on real traffic, where they do).
-- One transaction: Prisma sends a script's statements one by one, so without it a failure (a full disk during the
-- rewrite) would leave part of the migration applied. Failed inside it, nothing stays, and the next `db migrate`
-- applies it again (lib/db/migrate.ts retryAtomicFailures).
BEGIN;
DROP INDEX "network_event_remote_ip_ts_idx";
CREATE INDEX "network_event_remote_ip_idx" ON "network_event" ("remote_ip");
DROP INDEX "network_event_ts_idx";
CREATE INDEX "network_event_ts_idx" ON "network_event" USING brin ("ts") WITH (pages_per_range = 16);

-- The row-by-row writer (the view's trigger) probes the identity only inside the device's stored span since the next
-- migration, 20261201003500_event_transport, which rewrites that function anyway.

COMMIT;
