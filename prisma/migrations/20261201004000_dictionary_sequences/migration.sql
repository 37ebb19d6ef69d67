-- Dictionary keys given back (docs/architecture.md §4.6). Until now every ingest batch offered each of its values to
-- the dictionaries with INSERT … ON CONFLICT DO NOTHING, and an INSERT draws a key from the sequence for every row it
-- offers, also those it then skips: action_type's smallint keys ran out after ~6,000 batches of five action types,
-- device_key advanced by the fleet's size per batch. Writers now offer only missing values, and each sequence
-- restarts after the largest key stored (the keys stay as they are).
BEGIN;
SELECT setval(pg_get_serial_sequence('device', 'device_key'), COALESCE((SELECT max(device_key) FROM device), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('device_name_dict', 'name_key'), COALESCE((SELECT max(name_key) FROM device_name_dict), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('action_type', 'action_key'), COALESCE((SELECT max(action_key) FROM action_type), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('event_transport', 'transport_key'), COALESCE((SELECT max(transport_key) FROM event_transport), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('process_image', 'process_key'), COALESCE((SELECT max(process_key) FROM process_image), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('process_command', 'command_key'), COALESCE((SELECT max(command_key) FROM process_command), 0) + 1, false);
COMMIT;
