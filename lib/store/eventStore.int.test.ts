import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { bytes } from '@/lib/ingest/__fixtures__/byteStreams';
import { ingestFile, type IngestOptions } from '@/lib/ingest/ingestFile';
import { createTestDatabase } from '../../tests/testDatabase';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { bulkInsertWideEvents } from './bulkEvents';
import { eventPartitionsJob } from './partitionJob';
import { ensureMonthPartitions, listMonthPartitions, partitionName } from './partitions';

// The compact, month-partitioned event store (docs/architecture.md §4.6).

useTestDatabase();

const HEADER =
  'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,InitiatingProcessFileName,InitiatingProcessCommandLine,InitiatingProcessAccountName,ReportId';
/** Events on both sides of the 2019-03/2019-04 boundary (UTC), one of each report id kind. */
const ROWS = [
  '2019-03-31T23:59:59.999999Z,dev-a,pc-a,ConnectionSuccess,1.2.3.4,9001,10.0.0.2,tor.exe,"tor.exe -f ""x""",corp\\ann,17',
  '2019-04-01T00:00:00Z,dev-a,pc-a,ConnectionSuccess,1.2.3.4,9001,10.0.0.2,tor.exe,"tor.exe -f ""x""",corp\\ann,18',
  '2019-04-01T00:00:00Z,dev-b,,ConnectionFailed,2001:db8::1,443,10.0.0.3,,,,',
  '2019-03-15T12:00:00Z,dev-b,pc-b,ListeningConnectionCreated,,,10.0.0.3,svc.exe,,,99999999999999999999',
];
const CSV = `${HEADER}\r\n${ROWS.join('\r\n')}\r\n`;
const base: IngestOptions = { file: 'boundary.csv', via: 'cli', queueMatch: false };

async function wide(): Promise<unknown[]> {
  const { rows } = await getPool().query(
    `SELECT ts, device_id, device_name, action_type, direction, host(remote_ip) AS remote_ip, remote_port,
            process_file_name, process_command_line, process_account_name, report_id, source
     FROM network_event_wide ORDER BY ts, device_id, report_id`,
  );
  return rows;
}

/** The migration folders in order and each one's script: a fresh database stopped before a given migration. */
function migrationScripts(): { folders: string[]; script: (folder: string) => string } {
  const dir = path.resolve('prisma/migrations');
  const folders = readdirSync(dir)
    .filter((f) => /^\d{14}_/.test(f))
    .sort();
  return { folders, script: (folder) => readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8') };
}

describe('compact event store', () => {
  beforeEach(resetDatabase);

  it('creates the months it needs on the spot (2019 too) and dedupes exactly across a partition boundary', async () => {
    const first = await ingestFile(bytes(CSV), { ...base, reopen: () => bytes(CSV) });
    expect(first).toMatchObject({ status: 'committed', loader: 'direct', inserted: 4, duplicate: 0 });
    const names = (await listMonthPartitions(getPool())).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['network_event_y2019m03', 'network_event_y2019m04']));
    const { rows: placed } = await getPool().query(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM network_event GROUP BY 1 ORDER BY 1`,
    );
    expect(placed).toEqual([
      { part: 'network_event_y2019m03', n: 2 },
      { part: 'network_event_y2019m04', n: 2 },
    ]);
    const stored = await wide();

    // Again, through the direct loader (gives way) and through staging alone: nothing new on either side.
    const again = await ingestFile(bytes(CSV), { ...base, reopen: () => bytes(CSV) });
    expect(again).toMatchObject({ status: 'committed', inserted: 0, duplicate: 4 });
    const staged = await ingestFile(bytes(CSV), base);
    expect(staged).toMatchObject({ status: 'committed', loader: 'staging', inserted: 0, duplicate: 4 });
    expect(await wide()).toEqual(stored);
    expect(stored).toEqual([
      expect.objectContaining({ device_id: 'dev-b', report_id: '99999999999999999999', direction: 'listening' }),
      expect.objectContaining({
        device_id: 'dev-a',
        device_name: 'pc-a',
        process_command_line: 'tor.exe -f "x"',
        process_account_name: 'corp\\ann',
        report_id: '17',
      }),
      expect.objectContaining({ device_id: 'dev-a', report_id: '18', remote_ip: '1.2.3.4' }),
      expect.objectContaining({ device_id: 'dev-b', device_name: null, remote_ip: '2001:db8::1' }),
    ]);
  });

  it('the staging loader stores the same rows and dictionaries as the direct one', async () => {
    await ingestFile(bytes(CSV), { ...base, reopen: () => bytes(CSV) });
    const direct = await wide();
    await resetDatabase();
    const staged = await ingestFile(bytes(CSV), base);
    expect(staged).toMatchObject({ status: 'committed', loader: 'staging', inserted: 4 });
    expect(await wide()).toEqual(direct);
    const { rows } = await getPool().query(
      `SELECT (SELECT count(*) FROM process_image)::int AS processes, (SELECT count(*) FROM process_command)::int AS commands,
              (SELECT count(*) FROM action_type)::int AS actions, (SELECT count(*) FROM device_name_dict)::int AS names`,
    );
    expect(rows[0]).toEqual({ processes: 2, commands: 1, actions: 3, names: 2 });
  });

  it('a bulk load of generated rows stores what inserting them one by one into network_event_wide stores', async () => {
    const pool = getPool();
    const batch = async () =>
      Number(
        (
          await pool.query(
            `INSERT INTO ingest_batch (source, file_name, status) VALUES ('bench', 'g', 'committed') RETURNING id`,
          )
        ).rows[0].id,
      );
    const columns = [
      'ts',
      'device_id',
      'device_name',
      'action_type',
      'direction',
      'remote_ip',
      'process_file_name',
      'report_id',
      'source',
    ];
    const select = `SELECT timestamptz '2020-01-31T23:00:00Z' + g * interval '7 minutes', 'dev-' || (g % 3),
        CASE WHEN g % 5 > 0 THEN 'n' || (g % 3) END, 'ConnectionSuccess', 'outbound', ('192.0.2.' || g % 9)::inet,
        CASE WHEN g % 2 = 0 THEN 'tor.exe' END, CASE WHEN g % 4 = 0 THEN 'h' || g ELSE g::text END, 'defender'
      FROM generate_series(1, 40) g`;
    const first = await batch();
    await pool.query(
      `INSERT INTO network_event_wide (${columns.join(', ')}, batch_id) ${select.replace("'defender'", `'defender', ${first}`)}`,
    );
    const oneByOne = await wide();
    await resetDatabase();
    const client = await pool.connect();
    try {
      expect(await bulkInsertWideEvents(client, await batch(), columns, select)).toBe(40);
      expect(await bulkInsertWideEvents(client, await batch(), columns, select)).toBe(0);
    } finally {
      client.release();
    }
    expect(await wide()).toEqual(oneByOne);
  });

  it('the identity is exact though only ts is indexed: same instant, other device or report id, is another event', async () => {
    const at = '2024-05-01T10:00:00.123456Z';
    const row = (device: string, ip: string, report: string) =>
      `${at},${device},pc,ConnectionSuccess,${ip},443,10.0.0.9,x.exe,,,${report}`;
    const rows = [
      row('dev-a', '192.0.2.1', '1'),
      row('dev-a', '192.0.2.2', '2'),
      row('dev-b', '192.0.2.3', '1'),
      row('dev-a', '192.0.2.4', 'x1'),
      row('dev-a', '192.0.2.5', '01'), // not canonical: text, another id than 1
      row('dev-a', '192.0.2.6', '1'), // repeats the first row's identity: the first one stays
    ];
    const text = `${HEADER}\r\n${rows.join('\r\n')}\r\n`;
    const first = await ingestFile(bytes(text), { ...base, reopen: () => bytes(text) });
    expect(first).toMatchObject({
      status: 'committed',
      loader: 'staging',
      fallback: 'an event of the file is already stored or repeated in it',
      inserted: 5,
      duplicate: 1,
    });
    const stored = async () =>
      (await wide()).map((r) => {
        const e = r as { device_id: string; report_id: string; remote_ip: string };
        return `${e.device_id} ${e.report_id} ${e.remote_ip}`;
      });
    const expected = [
      'dev-a 01 192.0.2.5',
      'dev-a 1 192.0.2.1',
      'dev-a 2 192.0.2.2',
      'dev-a x1 192.0.2.4',
      'dev-b 1 192.0.2.3',
    ];
    expect(await stored()).toEqual(expected);
    // Again as an upload (staging only), and one by one through network_event_wide: nothing new.
    expect(await ingestFile(bytes(text), base)).toMatchObject({ inserted: 0, duplicate: 6 });
    const batch = await getPool().query(`SELECT id FROM ingest_batch ORDER BY id LIMIT 1`);
    const viaView = await getPool().query(
      `INSERT INTO network_event_wide (ts, device_id, direction, remote_ip, report_id, source, batch_id)
       VALUES ($1, 'dev-a', 'outbound', '192.0.2.7', '1', 'defender', $2), ($1, 'dev-a', 'outbound', '192.0.2.8', 'x1', 'defender', $2),
              ($1, 'dev-c', 'outbound', '192.0.2.9', '1', 'defender', $2)`,
      [at, batch.rows[0].id],
    );
    expect(viaView.rowCount).toBe(1);
    expect(await stored()).toEqual([...expected, 'dev-c 1 192.0.2.9']);
  });

  it("finds a repeat by its device's stored span, at the span's edge too; every event stays inside its device's span", async () => {
    const row = (ts: string, device: string, report: string) =>
      `${ts},${device},pc,ConnectionSuccess,192.0.2.1,443,10.0.0.9,x.exe,,,${report}`;
    const file = (...rows: string[]) => `${HEADER}\r\n${rows.join('\r\n')}\r\n`;
    const a = file(
      row('2024-01-10T00:00:00Z', 'dev-a', '1'),
      row('2024-01-20T00:00:00.000001Z', 'dev-a', '3'),
      row('2024-02-05T00:00:00Z', 'dev-b', '1'),
    );
    expect(await ingestFile(bytes(a), { ...base, reopen: () => bytes(a) })).toMatchObject({ inserted: 3 });
    // Older than dev-b's newest event, inside dev-a's span (its last instant): a repeat. The others are new, dev-b's
    // before its span and dev-c's of a new device.
    const b = file(
      row('2024-01-15T00:00:00Z', 'dev-a', '2'),
      row('2024-01-20T00:00:00.000001Z', 'dev-a', '3'),
      row('2024-01-01T00:00:00Z', 'dev-c', '1'),
      row('2024-01-01T00:00:00Z', 'dev-b', '1'),
    );
    expect(await ingestFile(bytes(b), { ...base, reopen: () => bytes(b) })).toMatchObject({
      status: 'committed',
      loader: 'staging',
      fallback: 'an event of the file is already stored or repeated in it',
      inserted: 3,
      duplicate: 1,
    });
    expect(await ingestFile(bytes(b), base)).toMatchObject({ loader: 'staging', inserted: 0, duplicate: 4 });
    const c = file(row('2024-01-10T00:00:00Z', 'dev-a', '1'), row('2024-03-01T00:00:00Z', 'dev-a', '4'));
    expect(await ingestFile(bytes(c), { ...base, reopen: () => bytes(c) })).toMatchObject({
      inserted: 1,
      duplicate: 1,
    });
    const { rows } = await getPool().query(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE NOT (e.ts >= d.first_seen AND e.ts <= d.last_seen))::int AS outside
       FROM network_event e JOIN device d ON d.device_key = e.device_key`,
    );
    expect(rows[0]).toEqual({ events: 7, outside: 0 });
  });

  it('a process or command value with the control character U+0001 is stored exactly (the direct loader gives way)', async () => {
    const header = `${HEADER},InitiatingProcessFolderPath`;
    const rows = [
      '2024-05-01T10:00:00Z,dev-a,pc,ConnectionSuccess,192.0.2.1,443,10.0.0.9,x.exe,"x.exe \u0001 y",corp,1,c:\\a',
      '2024-05-01T10:00:01Z,dev-a,pc,ConnectionSuccess,192.0.2.1,443,10.0.0.9,x\u0001y.exe,x.exe,corp,2,c:\\a',
      '2024-05-01T10:00:02Z,dev-a,pc,ConnectionSuccess,192.0.2.1,443,10.0.0.9,x,x.exe,corp,3,\u0001y.exe\u0001c:\\a',
    ];
    const text = `${header}\r\n${rows.join('\r\n')}\r\n`;
    expect(await ingestFile(bytes(text), { ...base, reopen: () => bytes(text) })).toMatchObject({
      status: 'committed',
      loader: 'staging',
      fallback: 'a process or command value holds the control character U+0001',
      inserted: 3,
    });
    const { rows: stored } = await getPool().query(
      `SELECT report_id, process_file_name AS f, process_folder_path AS d, process_command_line AS c
       FROM network_event_wide ORDER BY report_id`,
    );
    expect(stored).toEqual([
      { report_id: '1', f: 'x.exe', d: 'c:\\a', c: 'x.exe \u0001 y' },
      { report_id: '2', f: 'x\u0001y.exe', d: 'c:\\a', c: 'x.exe' },
      { report_id: '3', f: 'x', d: '\u0001y.exe\u0001c:\\a', c: 'x.exe' },
    ]);
  });

  it('batches that repeat stored values draw no dictionary key: the keys stay dense', async () => {
    const header = `${HEADER},Protocol,InitiatingProcessFolderPath`;
    const rows = (report: string) => [
      `2024-06-01T10:00:00Z,dev-a,pc-a,ConnectionSuccess,192.0.2.1,443,10.0.0.2,x.exe,x.exe -a,corp\\ann,${report}1,Tcp,c:\\p`,
      `2024-06-01T10:00:01Z,dev-b,pc-b,ConnectionFailed,192.0.2.2,443,10.0.0.3,y.exe,y.exe -b,corp\\bob,${report}2,Udp,c:\\q`,
    ];
    const csv = (report: string) => `${header}\r\n${rows(report).join('\r\n')}\r\n`;
    // The same values in 2 × 4 batches, through both loaders, with new events each time; then the view's trigger.
    for (let i = 0; i < 4; i++) {
      const text = csv(`r${i}-`);
      expect(await ingestFile(bytes(text), { ...base, reopen: () => bytes(text) })).toMatchObject({ inserted: 2 });
      const again = csv(`s${i}-`);
      expect(await ingestFile(bytes(again), base)).toMatchObject({ loader: 'staging', inserted: 2 });
    }
    const batch = await getPool().query(`SELECT id FROM ingest_batch ORDER BY id LIMIT 1`);
    for (let i = 0; i < 3; i++)
      await getPool().query(
        `INSERT INTO network_event_wide (ts, device_id, device_name, action_type, direction, remote_ip, protocol,
                                         process_file_name, process_folder_path, process_command_line,
                                         process_account_name, report_id, source, batch_id)
         VALUES ('2024-06-02T00:00:00Z', 'dev-a', 'pc-a', 'ConnectionSuccess', 'outbound', '192.0.2.9', 'Tcp',
                 'x.exe', 'c:\\p', 'x.exe -a', 'corp\\ann', $1, 'defender', $2)`,
        [`v${i}`, batch.rows[0].id],
      );
    const { rows: dense } = await getPool().query(
      `SELECT t, n, next FROM (VALUES
         ('device', (SELECT count(*) FROM device), (SELECT nextval(pg_get_serial_sequence('device', 'device_key')))),
         ('device_name_dict', (SELECT count(*) FROM device_name_dict), (SELECT nextval(pg_get_serial_sequence('device_name_dict', 'name_key')))),
         ('action_type', (SELECT count(*) FROM action_type), (SELECT nextval(pg_get_serial_sequence('action_type', 'action_key')))),
         ('event_transport', (SELECT count(*) FROM event_transport), (SELECT nextval(pg_get_serial_sequence('event_transport', 'transport_key')))),
         ('process_image', (SELECT count(*) FROM process_image), (SELECT nextval(pg_get_serial_sequence('process_image', 'process_key')))),
         ('process_command', (SELECT count(*) FROM process_command), (SELECT nextval(pg_get_serial_sequence('process_command', 'command_key'))))
       ) AS k(t, n, next) ORDER BY t`,
    );
    // Two of each value were stored, and the next key each sequence gives is the one after them.
    expect(dense.map((r) => [r.t, Number(r.n), Number(r.next)])).toEqual([
      ['action_type', 2, 3],
      ['device', 2, 3],
      ['device_name_dict', 2, 3],
      ['event_transport', 2, 3],
      ['process_command', 2, 3],
      ['process_image', 2, 3],
    ]);
  });

  it('the worker job makes this month and the next two exist', async () => {
    await eventPartitionsJob({});
    const now = new Date();
    const expected = [0, 1, 2].map((k) =>
      partitionName(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1))),
    );
    const names = (await listMonthPartitions(getPool())).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(expected));
    expect(await eventPartitionsJob({})).toEqual({ created: 0 });
  });

  it('ensureMonthPartitions creates months ahead once', async () => {
    const from = new Date('2031-11-20T00:00:00Z');
    const to = new Date('2032-01-02T00:00:00Z');
    expect(await ensureMonthPartitions(getPool(), from, to)).toBe(3);
    expect(await ensureMonthPartitions(getPool(), from, to)).toBe(0);
    const names = (await listMonthPartitions(getPool())).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['network_event_y2031m11', 'network_event_y2031m12', 'network_event_y2032m01']),
    );
  });
});

describe('the compaction migration', () => {
  it('moves events stored in the old layout over, every column read back identical', async () => {
    const db = await createTestDatabase('torwatch_compaction');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { folders, script } = migrationScripts();
      const at = folders.indexOf('20261130190000_compact_event_store');
      for (const folder of folders.slice(0, at)) await client.query(script(folder));
      await client.query(
        `INSERT INTO ingest_batch (id, source, file_name, status) VALUES (7, 'zeek-conn', 'x', 'committed')`,
      );
      const old = `INSERT INTO network_event (ts, device_id, device_name, action_type, direction, remote_ip, remote_port,
          remote_url, local_ip, local_port, protocol, process_file_name, process_folder_path, process_sha256,
          process_command_line, process_account_name, process_id, report_id, source, batch_id, ingested_at) VALUES
        ('2024-02-29T23:59:59.999999Z', 'd1', 'n1', 'ConnectionSuccess', 'outbound', '1.2.3.4', 9001, 'u', '10.0.0.1', 5000,
         'Tcp', 'tor.exe', 'c:\\tor', 'ab', 'tor.exe -x', 'acc', 4242, '123', 'defender', 7, '2024-03-02T00:00:00Z'),
        ('2024-03-01T00:00:00Z', 'd1', 'n2', NULL, 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, 'CuId1', 'zeek', 7, '2024-03-02T00:00:00Z'),
        ('2024-03-01T00:00:00Z', 'd2', NULL, 'zeek:S0', 'inbound', '2001:db8::2', 22, NULL, NULL, NULL, 'tcp', NULL, NULL,
         'ab', NULL, 'acc', NULL, '0123', 'zeek', 7, '2024-03-02T00:00:00Z')`;
      await client.query(old);
      const columns = `id, ts, device_id, device_name, action_type, direction, host(remote_ip) AS remote_ip, remote_port,
          remote_url, host(local_ip) AS local_ip, local_port, protocol, process_file_name, process_folder_path, process_sha256,
          process_command_line, process_account_name, process_id, report_id, source, batch_id, ingested_at`;
      const before = (await client.query(`SELECT ${columns} FROM network_event ORDER BY id`)).rows;
      await client.query(script(folders[at]));
      const after = (await client.query(`SELECT ${columns} FROM network_event_wide ORDER BY id`)).rows;
      expect(after).toEqual(before);
      expect(before).toHaveLength(3);
      // New events continue the old ids.
      const next = await client.query(
        `INSERT INTO network_event_wide (ts, device_id, direction, report_id, source, batch_id)
         VALUES ('2024-03-05T00:00:00Z', 'd3', 'outbound', '1', 'defender', 7) RETURNING id`,
      );
      expect(Number(next.rows[0].id)).toBeGreaterThan(3);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});

describe('the identity-by-time and event_transport migrations', () => {
  it('carry stored events over: a b-tree on ts for the identity, then source and protocol as transport_key', async () => {
    const db = await createTestDatabase('torwatch_identity_by_time');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { folders, script } = migrationScripts();
      const at = folders.indexOf('20261201001000_event_identity_by_time');
      for (const folder of folders.slice(0, at)) await client.query(script(folder));
      await client.query(
        `INSERT INTO ingest_batch (id, source, file_name, status) VALUES (7, 'defender', 'x', 'committed')`,
      );
      const insert = (report: string, ip: string) =>
        client.query(
          `INSERT INTO network_event_wide (ts, device_id, direction, remote_ip, report_id, source, batch_id)
           VALUES ('2024-02-29T23:59:59.999999Z', 'd1', 'outbound', $2, $1, 'defender', 7)`,
          [report, ip],
        );
      await insert('1', '192.0.2.1');
      await insert('x', '192.0.2.2');
      const columns = `id, ts, device_id, host(remote_ip) AS remote_ip, report_id, batch_id`;
      const before = (await client.query(`SELECT ${columns} FROM network_event_wide ORDER BY id`)).rows;
      await client.query(script(folders[at]));
      expect((await client.query(`SELECT ${columns} FROM network_event_wide ORDER BY id`)).rows).toEqual(before);
      const indexes = await client.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'network_event' ORDER BY indexname`,
      );
      expect(indexes.rows.map((r) => r.indexname)).toEqual([
        'network_event_batch_id_idx',
        'network_event_remote_ip_ts_idx',
        'network_event_ts_idx',
      ]);
      expect(indexes.rows[2].indexdef).toContain('USING btree (ts)');
      // The trigger still skips a stored identity, and stores another report id of the same instant.
      expect((await insert('1', '192.0.2.3')).rowCount).toBe(0);
      expect((await insert('2', '192.0.2.4')).rowCount).toBe(1);
      expect((await client.query(`SELECT count(*)::int AS n FROM network_event`)).rows[0].n).toBe(3);

      // Up to event_transport: events of every source and protocol (NULL, case, an odd string, 27 pairs — each an arm
      // of the migration's CASE) in two months read back identically, every column, when source and protocol become
      // one key (docs/architecture.md §4.6).
      const transport = folders.indexOf('20261201003500_event_transport');
      for (const folder of folders.slice(at + 1, transport)) await client.query(script(folder));
      await client.query(
        `INSERT INTO network_event_wide (ts, device_id, device_name, action_type, direction, remote_ip, remote_port,
           remote_url, local_ip, local_port, protocol, process_file_name, process_id, report_id, source, batch_id)
         SELECT timestamptz '2024-03-31T23:00:00Z' + g * interval '17 minutes', 'd' || g % 3, 'n' || g % 2,
                'ConnectionSuccess', (ARRAY['outbound', 'inbound', 'listening', 'unknown'])[1 + g % 4],
                ('192.0.2.' || g)::inet, 443, CASE WHEN g % 3 = 0 THEN 'u.example' END, '10.0.0.1', 5000 + g,
                CASE WHEN g > 20 THEN 'p' || g ELSE (ARRAY['Tcp', 'Udp', NULL, 'tcp', 'x;y ''odd'' \\ ü'])[1 + g % 5] END,
                'tor.exe', g, 'r' || g,
                CASE WHEN g % 7 = 0 THEN 'zeek' ELSE 'defender' END, 7
         FROM generate_series(1, 40) g`,
      );
      const every = `id, ts, device_id, device_name, action_type, direction, host(remote_ip) AS remote_ip, remote_port,
          remote_url, host(local_ip) AS local_ip, local_port, protocol, process_file_name, process_folder_path,
          process_sha256, process_command_line, process_account_name, process_id, report_id, source, batch_id,
          ingested_at, device_key, process_key, action_key`;
      const wideBefore = (await client.query(`SELECT ${every} FROM network_event_wide ORDER BY id`)).rows;
      const sizes = `SELECT pg_column_size(e.*) AS size, count(*)::int AS n FROM network_event_wide w
                     JOIN network_event e ON e.id = w.id AND e.ts = w.ts WHERE w.protocol = 'Tcp' AND w.source = 'defender'
                     GROUP BY 1 ORDER BY 1`;
      const sizeBefore = (await client.query(sizes)).rows;
      expect(sizeBefore.length).toBeGreaterThan(0);
      for (const folder of folders.slice(transport)) await client.query(script(folder));
      const wideAfter = (await client.query(`SELECT ${every} FROM network_event_wide ORDER BY id`)).rows;
      expect(wideAfter).toEqual(wideBefore);
      expect(wideBefore).toHaveLength(43);
      const distinct = new Set(wideBefore.map((r) => `${r.source} ${r.protocol}`)).size;
      expect(distinct).toBe(27);
      // One key per distinct pair; a Defender Tcp row is 3 bytes smaller (1 "char" + 4 text → 2 smallint).
      const pairs = await client.query(`SELECT count(*)::int AS n FROM event_transport`);
      expect(pairs.rows[0].n).toBe(distinct);
      expect((await client.query(sizes)).rows).toEqual(sizeBefore.map((r) => ({ ...r, size: r.size - 3 })));
      // The trigger after the migration: a known pair keeps its key, a new one gets one.
      await client.query(
        `INSERT INTO network_event_wide (ts, device_id, direction, report_id, source, protocol, batch_id)
         VALUES ('2024-04-02T00:00:00Z', 'd9', 'outbound', 'n1', 'zeek', 'icmp', 7),
                ('2024-04-02T00:00:00Z', 'd9', 'outbound', 'n2', 'defender', 'Tcp', 7)`,
      );
      expect((await client.query(`SELECT count(*)::int AS n FROM event_transport`)).rows[0].n).toBe(distinct + 1);
      const added = await client.query(
        `SELECT report_id, source, protocol FROM network_event_wide WHERE device_id = 'd9' ORDER BY report_id`,
      );
      expect(added.rows).toEqual([
        { report_id: 'n1', source: 'zeek', protocol: 'icmp' },
        { report_id: 'n2', source: 'defender', protocol: 'Tcp' },
      ]);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});

describe('the lean-indexes migration', () => {
  it('carries stored events over: a BRIN on ts and an index on remote_ip alone, the trigger still dedupes', async () => {
    const db = await createTestDatabase('torwatch_lean_indexes');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { folders, script } = migrationScripts();
      const at = folders.indexOf('20261201003000_event_lean_indexes');
      for (const folder of folders.slice(0, at)) await client.query(script(folder));
      await client.query(
        `INSERT INTO ingest_batch (id, source, file_name, status) VALUES (7, 'defender', 'x', 'committed')`,
      );
      const insert = (device: string, ts: string, report: string, ip: string) =>
        client.query(
          `INSERT INTO network_event_wide (ts, device_id, direction, remote_ip, report_id, source, batch_id)
           VALUES ($2, $1, 'outbound', $4, $3, 'defender', 7)`,
          [device, ts, report, ip],
        );
      await insert('d1', '2024-02-29T23:59:59.999999Z', '1', '192.0.2.1');
      await insert('d1', '2024-03-02T00:00:00Z', 'x', '192.0.2.2');
      await insert('d2', '2024-03-05T00:00:00Z', '1', '192.0.2.2');
      const columns = `id, ts, device_id, host(remote_ip) AS remote_ip, report_id, batch_id`;
      const before = (await client.query(`SELECT ${columns} FROM network_event_wide ORDER BY id`)).rows;
      await client.query(script(folders[at]));
      expect((await client.query(`SELECT ${columns} FROM network_event_wide ORDER BY id`)).rows).toEqual(before);
      const indexes = await client.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'network_event' ORDER BY indexname`,
      );
      expect(indexes.rows.map((r) => [r.indexname, r.indexdef.replace(/^.* USING /, '')])).toEqual([
        ['network_event_batch_id_idx', "brin (batch_id) WITH (pages_per_range='16')"],
        ['network_event_remote_ip_idx', 'btree (remote_ip)'],
        ['network_event_ts_idx', "brin (ts) WITH (pages_per_range='16')"],
      ]);
      // A stored identity inside the device's span is skipped (also the oldest one, before other devices' events);
      // the same instant and report of another device, or another report, is stored.
      expect((await insert('d1', '2024-02-29T23:59:59.999999Z', '1', '192.0.2.9')).rowCount).toBe(0);
      expect((await insert('d1', '2024-03-02T00:00:00Z', 'x', '192.0.2.9')).rowCount).toBe(0);
      expect((await insert('d2', '2024-02-29T23:59:59.999999Z', '1', '192.0.2.9')).rowCount).toBe(1);
      expect((await insert('d1', '2024-03-01T00:00:00Z', '2', '192.0.2.9')).rowCount).toBe(1);
      expect((await client.query(`SELECT count(*)::int AS n FROM network_event`)).rows[0].n).toBe(5);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
