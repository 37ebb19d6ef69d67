import { getPool } from '@/lib/db/pool';
import { canonicalIp } from '@/lib/net/ip';

// Small helpers that write relay data and telemetry straight into the tables, for match-engine tests and the
// benchmark — the way the relay store and the ingest loader leave them (canonical addresses, committed batches).

export async function addRelay(
  fingerprint: string,
  meta: { nickname?: string; country?: string; flags?: string[] } = {},
) {
  await getPool().query(
    `INSERT INTO relay (fingerprint, nickname, country, flags, hostnames) VALUES ($1, $2, $3, $4, '{}')
     ON CONFLICT (fingerprint) DO UPDATE SET nickname = EXCLUDED.nickname, country = EXCLUDED.country, flags = EXCLUDED.flags`,
    [fingerprint, meta.nickname ?? null, meta.country ?? null, meta.flags ?? []],
  );
}

export async function addInterval(
  fingerprint: string,
  ip: string,
  port: number,
  kind: 'or' | 'exit' | 'dir',
  from: string,
  to: string,
) {
  await getPool().query(
    `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0)`,
    [fingerprint, canonicalIp(ip), port, kind, from, to],
  );
}

export async function addBatch(): Promise<number> {
  const { rows } = await getPool().query<{ id: number }>(
    `INSERT INTO ingest_batch (source, file_name, status, finished_at) VALUES ('test', 'fixture', 'committed', now()) RETURNING id`,
  );
  return rows[0].id;
}

export interface FixtureEvent {
  ts: string;
  deviceId: string;
  remoteIp: string | null;
  remotePort?: number | null;
  actionType?: string;
  direction?: string;
  process?: string | null;
  folder?: string | null;
  localIp?: string;
  reportId?: string;
}

export async function addEvents(batchId: number, events: FixtureEvent[]): Promise<void> {
  for (const [i, e] of events.entries()) {
    await getPool().query(
      `INSERT INTO network_event_wide (ts, device_id, device_name, action_type, direction, remote_ip, remote_port, local_ip,
         process_file_name, process_folder_path, report_id, source, batch_id)
       VALUES ($1, $2, $2 || '.corp', $3, $4, $5, $6, $7, $8, $9, $10, 'defender', $11) ON CONFLICT DO NOTHING`,
      [
        e.ts,
        e.deviceId,
        e.actionType ?? 'ConnectionSuccess',
        e.direction ?? 'outbound',
        e.remoteIp === null ? null : canonicalIp(e.remoteIp),
        e.remotePort ?? 443,
        e.localIp ?? '10.0.0.5',
        e.process === undefined ? 'tor.exe' : e.process,
        e.folder === undefined ? 'c:\\tor\\tor.exe' : e.folder,
        e.reportId ?? `r${i}-${e.ts}`,
        batchId,
      ],
    );
  }
  await getPool().query(
    `UPDATE ingest_batch SET inserted = (SELECT count(*) FROM network_event WHERE batch_id = $1), events_inserted = (SELECT count(*) FROM network_event WHERE batch_id = $1) WHERE id = $1`,
    [batchId],
  );
}

export async function addDeviceInfo(
  deviceId: string,
  ts: string,
  publicIp: string | null,
  reportId = `${deviceId}-${ts}`,
) {
  await getPool().query(
    `INSERT INTO device_info_record (ts, device_id, public_ip, report_id) VALUES ($1, $2, $3, $4)`,
    [ts, deviceId, publicIp, reportId],
  );
}

export async function addCompatSnapshot(
  observedAt: string,
  entries: Array<{ fingerprint: string; ip: string; port: number; hostname?: string; country?: string }>,
) {
  const pool = getPool();
  const feed = await pool.query<{ id: number }>(
    `INSERT INTO relay_feed (name, format) VALUES ('import:torrelayips-csv', 'torrelayips-csv')
     ON CONFLICT (name) DO UPDATE SET format = EXCLUDED.format RETURNING id`,
  );
  const snapshot = await pool.query<{ id: number }>(
    `INSERT INTO relay_snapshot (feed_id, format, observed_at, sha256, relay_count, address_count, rejected_count, lists_or)
     VALUES ($1, 'torrelayips-csv', $2, md5(random()::text), 0, $3, 0, true) RETURNING id`,
    [feed.rows[0].id, observedAt, entries.length],
  );
  for (const e of entries) {
    await pool.query(
      `INSERT INTO relay_snapshot_entry (snapshot_id, fingerprint, ip, port, kind, hostname, country) VALUES ($1, $2, $3, $4, 'or', $5, $6)`,
      [snapshot.rows[0].id, e.fingerprint, canonicalIp(e.ip), e.port, e.hostname ?? null, e.country ?? null],
    );
  }
}
