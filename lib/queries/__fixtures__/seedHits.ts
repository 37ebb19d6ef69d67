import { getPool } from '@/lib/db/pool';

/**
 * Inserts `count` hits (and their network events) set-based with varied, deterministic values: several hits share
 * each timestamp so keyset pagination must break ties by id. Times are spread over the `days` before `end`.
 */
export async function seedHits(count: number, end: Date, days = 30): Promise<void> {
  const pool = getPool();
  await pool.query(
    `INSERT INTO ingest_batch (source, file_name, status, via) VALUES ('demo', 'fixture', 'committed', 'cli')`,
  );
  await pool.query(
    `
    INSERT INTO network_event_wide (ts, device_id, device_name, action_type, direction, remote_ip, remote_port, local_ip,
      process_file_name, process_folder_path, process_command_line, report_id, source, batch_id)
    SELECT $1::timestamptz - make_interval(secs => (i / 3) * ($2::int * 86400 / ($3::int / 3 + 1))),
           'dev-' || (i % 7), 'host-' || (i % 7), (ARRAY['ConnectionSuccess','ConnectionFailed','InboundConnectionAccepted'])[1 + i % 3],
           (ARRAY['outbound','outbound','inbound'])[1 + i % 3], ('198.51.100.' || (i % 11))::inet, (ARRAY[9001, 443, 80])[1 + i % 3],
           ('10.0.0.' || (i % 7))::inet, (ARRAY['tor.exe','firefox.exe','curl',NULL])[1 + i % 4], 'C:\\Program Files\\x',
           'tor.exe --secret ' || i, 'r' || i, 'defender', 1
    FROM generate_series(0, $3::int - 1) AS i`,
    [end, days, count],
  );
  await pool.query(`
    INSERT INTO hit (event_id, ts, device_id, device_name, local_ip, local_public_ip, remote_ip, remote_port, action_type, direction,
      process_file_name, process_folder_path, relay_fingerprints, relay_nicknames, relay_flags, country, port_match, is_exit,
      via_exit_address, confidence, status)
    SELECT e.id, e.ts, e.device_id, e.device_name, e.local_ip, ('203.0.113.' || (e.id % 7))::inet, e.remote_ip, e.remote_port,
           e.action_type, e.direction, e.process_file_name, e.process_folder_path,
           ARRAY[rpad('F' || (e.id % 5), 40, '0')], ARRAY['nick' || (e.id % 5)], ARRAY['Running','Guard'],
           (ARRAY['de','fr','us',NULL,'nl'])[1 + e.id % 5], e.remote_port = 9001, e.id % 4 = 0, false,
           (ARRAY['high','medium','low'])[1 + e.id % 3], (ARRAY['new','investigating','benign','true_positive'])[1 + e.id % 4]
    FROM network_event_wide e`);
}
