-- Hourly connection summaries are made when retention drops a month of raw events, no longer by ingest
-- (docs/architecture.md §16.1): the raw window pays nothing for them. Rows ingest wrote for months whose raw events are
-- still stored go — applyRetention summarises those months from their raw events when it drops them — and so do the
-- summary partitions left empty. Months retention dropped already keep their summaries (they are all there is of
-- them). (Function bodies are escape strings with \073 for the semicolon, see 20261130190000_compact_event_store.)
DELETE FROM "connection_summary" s
WHERE NOT EXISTS (SELECT 1 FROM "retention_dropped_month" m
                  WHERE m."month" = date_trunc('month', s."hour", 'UTC'));

DO E'
DECLARE
  part text\073
  stored boolean\073
BEGIN
  FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = ''connection_summary''::regclass AND c.relname ~ ''^connection_summary_y[0-9]{4}m[0-9]{2}$''
  LOOP
    EXECUTE format(''SELECT EXISTS (SELECT 1 FROM %I)'', part) INTO stored\073
    IF NOT stored THEN
      EXECUTE format(''DROP TABLE %I'', part)\073
    END IF\073
  END LOOP\073
END';
