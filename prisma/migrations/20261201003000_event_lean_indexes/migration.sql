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

-- The row-by-row writer (the view's trigger): the identity probe only for a row inside its device's stored span.
CREATE OR REPLACE FUNCTION network_event_wide_insert() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  dk integer\073
  pk integer\073
  ck integer\073
  nk integer\073
  ak smallint\073
  rn bigint := report_num(NEW.report_id)\073
  seen_from timestamptz\073
  seen_to timestamptz\073
BEGIN
  PERFORM ensure_event_partitions(ARRAY[NEW.ts])\073
  INSERT INTO device (device_id) VALUES (NEW.device_id) ON CONFLICT DO NOTHING\073
  -- The span the stored events of the device lie in, before this row widens it: outside it none can repeat.
  SELECT device_key, first_seen, last_seen INTO dk, seen_from, seen_to FROM device WHERE device_id = NEW.device_id\073
  UPDATE device SET device_name = COALESCE(device_name, NEW.device_name), first_seen = LEAST(first_seen, NEW.ts),
                    last_seen = GREATEST(last_seen, NEW.ts) WHERE device_key = dk\073
  IF NEW.process_file_name IS NOT NULL OR NEW.process_folder_path IS NOT NULL OR NEW.process_sha256 IS NOT NULL THEN
    INSERT INTO process_image (file_name, folder_path, sha256) VALUES (NEW.process_file_name, NEW.process_folder_path, NEW.process_sha256) ON CONFLICT DO NOTHING\073
    SELECT process_key INTO pk FROM process_image WHERE file_name IS NOT DISTINCT FROM NEW.process_file_name
      AND folder_path IS NOT DISTINCT FROM NEW.process_folder_path AND sha256 IS NOT DISTINCT FROM NEW.process_sha256\073
  END IF\073
  IF NEW.process_command_line IS NOT NULL OR NEW.process_account_name IS NOT NULL THEN
    INSERT INTO process_command (command_line, account_name, command_sha256)
      VALUES (NEW.process_command_line, NEW.process_account_name, sha256(convert_to(NEW.process_command_line, ''UTF8''))) ON CONFLICT DO NOTHING\073
    SELECT command_key INTO ck FROM process_command WHERE command_sha256 IS NOT DISTINCT FROM sha256(convert_to(NEW.process_command_line, ''UTF8''))
      AND account_name IS NOT DISTINCT FROM NEW.process_account_name\073
  END IF\073
  IF NEW.device_name IS NOT NULL THEN
    INSERT INTO device_name_dict (name) VALUES (NEW.device_name) ON CONFLICT DO NOTHING\073
    SELECT name_key INTO nk FROM device_name_dict WHERE name = NEW.device_name\073
  END IF\073
  IF NEW.action_type IS NOT NULL THEN
    INSERT INTO action_type (name) VALUES (NEW.action_type) ON CONFLICT DO NOTHING\073
    SELECT action_key INTO ak FROM action_type WHERE name = NEW.action_type\073
  END IF\073
  NEW.id := COALESCE(NEW.id, nextval(''network_event_id_seq''))\073
  UPDATE ingest_batch SET events_at = now() WHERE id = NEW.batch_id AND events_at IS NULL\073
  -- A stored identity is skipped, as ON CONFLICT DO NOTHING skipped it when the identity was a unique index.
  IF NEW.ts >= seen_from AND NEW.ts <= seen_to
     AND EXISTS (SELECT 1 FROM network_event e WHERE e.ts = NEW.ts AND e.device_key = dk AND e.report_num = COALESCE(rn, 0)
             AND e.report_text = CASE WHEN rn IS NULL THEN NEW.report_id ELSE '''' END) THEN
    RETURN NULL\073
  END IF\073
  INSERT INTO network_event (id, ts, report_num, process_id, device_key, batch_id, process_key, command_key, name_key,
                             remote_port, local_port, action_key, direction, source, report_text, remote_ip, local_ip,
                             protocol, remote_url)
  VALUES (NEW.id, NEW.ts, COALESCE(rn, 0), NEW.process_id, dk, NEW.batch_id, pk, ck, nk, NEW.remote_port, NEW.local_port,
          ak, event_direction_code(NEW.direction), CASE NEW.source WHEN ''zeek'' THEN ''z'' ELSE ''d'' END,
          CASE WHEN rn IS NULL THEN NEW.report_id ELSE '''' END, NEW.remote_ip, NEW.local_ip, NEW.protocol, NEW.remote_url)\073
  RETURN NEW\073
END';

COMMIT;
