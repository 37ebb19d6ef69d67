import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { CHUNK_ROWS } from './parseTelemetry';
import { ingestFile, type IngestOptions } from './ingestFile';
import { bytes, failingHalfway } from './__fixtures__/byteStreams';

useTestDatabase();

const HEADER =
  'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,InitiatingProcessCommandLine,ReportId';
const DEVICES = ['dev-a', 'dev-b', 'dev-c'];

/** Event `i`: devices in turn, times out of order, dev-a under two names (the later-sorting one not first). */
function eventRow(i: number, overrides: { remoteIp?: string; commandLine?: string } = {}): string {
  const device = DEVICES[i % DEVICES.length];
  const name = device === 'dev-a' ? (i % 2 === 0 ? 'PC-A.corp' : 'pc-a.corp') : device === 'dev-b' ? '' : 'pc-c.corp';
  const second = (i * 7919) % 86_400; // a permutation of the day's seconds: the first row is not the earliest
  const ts = new Date(Date.UTC(2026, 0, 1) + second * 1000).toISOString().replace('Z', '1234Z');
  return [
    ts,
    device,
    name,
    'ConnectionSuccess',
    overrides.remoteIp ?? `1.2.${Math.floor(i / 250) % 250}.${i % 250}`,
    '9001',
    '10.0.0.2',
    overrides.commandLine ?? 'tor.exe',
    String(i),
  ].join(',');
}

function rows(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, k) => eventRow(from + k));
}

function csv(lines: string[]): string {
  return `${HEADER}\r\n${lines.join('\r\n')}\r\n`;
}

/** A file as the CLI hands it over: a stream, and a way to read it again from the start (counted). */
function file(text: string): {
  input: AsyncGenerator<Buffer>;
  reopen: () => AsyncGenerator<Buffer>;
  reopened: () => number;
} {
  let reopened = 0;
  return {
    input: bytes(text),
    reopen: () => {
      reopened++;
      return bytes(text);
    },
    reopened: () => reopened,
  };
}

const base: IngestOptions = { file: 'test.csv', via: 'cli', queueMatch: false };

async function ingestReopenable(text: string, options: Partial<IngestOptions> = {}) {
  const f = file(text);
  const summary = await ingestFile(f.input, { ...base, ...options, reopen: f.reopen });
  return { ...summary, reopened: f.reopened() };
}

async function count(sql: string): Promise<number> {
  return (await getPool().query<{ n: number }>(sql)).rows[0].n;
}

/** Every stored event (without ids and batch) and device, in a fixed order. */
async function stored(): Promise<{ events: unknown[]; devices: unknown[] }> {
  const pool = getPool();
  const events = await pool.query(
    `SELECT ts, device_id, device_name, action_type, direction, host(remote_ip) AS remote_ip, remote_port, local_ip::text,
       process_command_line, report_id, source FROM network_event_wide ORDER BY device_id, report_id`,
  );
  const devices = await pool.query(
    'SELECT device_id, device_name, first_seen, last_seen FROM device ORDER BY device_id',
  );
  return { events: events.rows, devices: devices.rows };
}

/** Devices already known before the file: a stored name wins, first/last seen only widen. */
async function knownDevices(): Promise<void> {
  await getPool().query(
    `INSERT INTO device (device_id, device_name, first_seen, last_seen)
     VALUES ('dev-c', 'kept.corp', '2025-12-31T00:00:00Z', '2026-01-01T00:00:05Z'), ('dev-b', NULL, '2026-01-01T12:00:00Z', '2026-01-03T00:00:00Z')`,
  );
}

beforeEach(async () => {
  await resetDatabase();
});

describe('direct COPY', () => {
  it('loads a fresh file straight into network_event with exact counts, and the same devices and rows as staging', async () => {
    const text = csv(rows(0, 3 * CHUNK_ROWS + 7));
    const n = 3 * CHUNK_ROWS + 7;
    await knownDevices();
    const staged = await ingestFile(bytes(text), base);
    expect(staged).toMatchObject({ loader: 'staging', status: 'committed', inserted: n });
    const viaStaging = await stored();

    await resetDatabase();
    await knownDevices();
    const direct = await ingestReopenable(text);
    expect(direct).toMatchObject({
      loader: 'direct',
      status: 'committed',
      read: n,
      inserted: n,
      duplicate: 0,
      rejected: 0,
      reopened: 0,
    });
    expect(direct.bytes).toBe(Buffer.byteLength(text));
    expect(direct.fallback).toBeUndefined();
    expect(await stored()).toEqual(viaStaging);
    expect(viaStaging.devices).toEqual([
      expect.objectContaining({ device_id: 'dev-a', device_name: 'pc-a.corp' }), // max() of its two names
      expect.objectContaining({ device_id: 'dev-b', device_name: null }),
      expect.objectContaining({
        device_id: 'dev-c',
        device_name: 'kept.corp',
        first_seen: new Date('2025-12-31T00:00:00Z'),
      }),
    ]);
    const batch = await getPool().query(
      'SELECT status, rows_read, inserted, duplicate, rejected FROM ingest_batch WHERE id = $1',
      [direct.batchId],
    );
    expect(batch.rows[0]).toEqual({ status: 'committed', rows_read: n, inserted: n, duplicate: 0, rejected: 0 });
  });

  it('the same file again gives way to the staging path: read twice, inserted 0, every row a duplicate', async () => {
    const text = csv(rows(0, 2 * CHUNK_ROWS));
    expect((await ingestReopenable(text)).loader).toBe('direct');
    const progress: Array<[number, number]> = [];
    const again = await ingestReopenable(text, { onProgress: (b, r) => progress.push([b, r]) });
    expect(again).toMatchObject({
      loader: 'staging',
      status: 'committed',
      read: 2 * CHUNK_ROWS,
      inserted: 0,
      duplicate: 2 * CHUNK_ROWS,
      reopened: 1,
      bytes: Buffer.byteLength(text),
    });
    expect(again.fallback).toMatch(/already stored/);
    expect(progress).toContainEqual([0, 0]);
    expect(progress.at(-1)).toEqual([Buffer.byteLength(text), 2 * CHUNK_ROWS]);
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(2 * CHUNK_ROWS);
    const batch = await getPool().query('SELECT rows_read, inserted, duplicate FROM ingest_batch WHERE id = $1', [
      again.batchId,
    ]);
    expect(batch.rows[0]).toEqual({ rows_read: 2 * CHUNK_ROWS, inserted: 0, duplicate: 2 * CHUNK_ROWS });
  });

  it('a later file repeating only the newest stored event (at the boundary of the check) gives way; newer ones alone load direct', async () => {
    const first = rows(0, 30);
    await ingestReopenable(csv(first));
    const newest = [...first].sort().at(-1)!; // ISO times sort as text
    const later = Array.from({ length: 20 }, (_, k) => eventRow(100 + k).replace(/^2026-01-01/, '2026-01-07'));
    expect(await ingestReopenable(csv(later))).toMatchObject({ loader: 'direct', inserted: 20, reopened: 0 });
    const withNewest = Array.from({ length: 20 }, (_, k) => eventRow(200 + k).replace(/^2026-01-01/, '2026-01-08'));
    // The newest event stored is now 2026-01-07's: repeat that one (and the older first file's newest, for good measure).
    const newestLater = [...later].sort().at(-1)!;
    expect(await ingestReopenable(csv([...withNewest, newestLater]))).toMatchObject({
      loader: 'staging',
      inserted: 20,
      duplicate: 1,
    });
    expect(await ingestReopenable(csv([newest]))).toMatchObject({ loader: 'staging', inserted: 0, duplicate: 1 });
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(70);
  });

  it("a later file inside the devices' known times rewrites no device row, on either path (no dead rows per batch)", async () => {
    await ingestReopenable(csv(rows(0, 30)));
    const versions = async () =>
      (await getPool().query('SELECT device_id, xmin::text AS version, updated_at FROM device ORDER BY device_id'))
        .rows;
    const before = await versions();
    // New events (other report ids) at times the devices were already seen between: direct, then staging.
    const inside = (from: number, to: number) => csv(rows(from, to).map((row) => row.replace(/,(\d+)$/, ',9$1')));
    expect(await ingestReopenable(inside(1, 29))).toMatchObject({ inserted: 28 });
    expect(await ingestFile(bytes(inside(2, 28)), { ...base, file: 'upload.csv' })).toMatchObject({ inserted: 0 });
    expect(await versions()).toEqual(before);
    // A time outside the known range still widens it.
    await ingestReopenable(csv([eventRow(40).replace(/^2026-01-01/, '2026-01-05')]));
    expect((await versions()).filter((d, i) => d.version !== before[i].version)).toHaveLength(1);
  });

  it('an overlapping file (its first half stored) gives way and counts the overlap exactly', async () => {
    await ingestReopenable(csv(rows(0, 1000)));
    const overlapping = await ingestReopenable(csv(rows(500, 1500)));
    expect(overlapping).toMatchObject({ loader: 'staging', read: 1000, inserted: 500, duplicate: 500, reopened: 1 });
    // Stored events at the end of the file: the bet is lost only there, and the outcome is the same.
    const tail = await ingestReopenable(csv([...rows(1500, 1700), ...rows(0, 10)]));
    expect(tail).toMatchObject({ loader: 'staging', read: 210, inserted: 200, duplicate: 10, reopened: 1 });
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(1700);
    expect(await count('SELECT count(DISTINCT batch_id)::int AS n FROM network_event')).toBe(3);
  });

  it('a file that repeats one of its own rows (as its last row) gives way and stores that event once', async () => {
    const summary = await ingestReopenable(csv([...rows(0, 1200), eventRow(42)]));
    expect(summary).toMatchObject({
      loader: 'staging',
      status: 'committed',
      read: 1201,
      inserted: 1200,
      duplicate: 1,
      reopened: 1,
    });
    expect(await count(`SELECT count(*)::int AS n FROM network_event_wide WHERE report_id = '42'`)).toBe(1);
  });

  it('a Defender stream that holds DeviceInfo records after its events goes through staging and describes the device', async () => {
    const record = (category: string, properties: object) =>
      JSON.stringify({ time: '2026-01-01T00:00:00Z', tenantId: 't', operationName: 'Publish', category, properties });
    const events = Array.from({ length: CHUNK_ROWS + 10 }, (_, i) =>
      record('AdvancedHunting-DeviceNetworkEvents', {
        Timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
        DeviceId: 'dev-s',
        DeviceName: 'pc-s.corp',
        ActionType: 'ConnectionSuccess',
        RemoteIP: '1.2.3.4',
        RemotePort: 443,
        ReportId: i,
      }),
    );
    const info = record('AdvancedHunting-DeviceInfo', {
      Timestamp: '2026-01-02T00:00:00Z',
      DeviceId: 'dev-s',
      DeviceName: 'pc-s.corp',
      PublicIP: '203.0.113.9',
      OSPlatform: 'Windows11',
      MachineGroup: 'Lab',
      ReportId: 1,
    });
    const summary = await ingestReopenable([...events, info].join('\n') + '\n', { file: 'stream.jsonl' });
    expect(summary).toMatchObject({
      loader: 'staging',
      source: 'defender-stream',
      status: 'committed',
      inserted: CHUNK_ROWS + 11,
      reopened: 1,
    });
    expect(summary.fallback).toMatch(/DeviceInfo/);
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(CHUNK_ROWS + 10);
    const device = await getPool().query(
      'SELECT v.device_name, os_platform, machine_group, host(d.public_ip) AS ip FROM device v JOIN device_info_record d USING (device_id)',
    );
    expect(device.rows).toEqual([
      { device_name: 'pc-s.corp', os_platform: 'Windows11', machine_group: 'Lab', ip: '203.0.113.9' },
    ]);

    const deviceInfoCsv =
      'Timestamp,DeviceId,DeviceName,PublicIP,OSPlatform,ReportId\r\n2026-01-03T00:00:00Z,dev-s,pc-s.corp,203.0.113.10,Windows11,2\r\n';
    const infoFile = await ingestReopenable(deviceInfoCsv, { file: 'DeviceInfo.csv' });
    expect(infoFile).toMatchObject({ loader: 'staging', source: 'defender-device-info', inserted: 1 });
  });

  it('--strict with a reject on the direct path commits nothing, devices included', async () => {
    const lines = rows(0, 1000);
    lines[700] = eventRow(700, { remoteIp: '10.0.0.300' });
    const summary = await ingestReopenable(csv(lines), { strict: true });
    expect(summary).toMatchObject({
      loader: 'direct',
      status: 'refused',
      read: 1000,
      inserted: 0,
      duplicate: 0,
      rejected: 1,
      reopened: 0,
    });
    expect(summary.rejects).toEqual([{ line: 702, field: 'RemoteIP', reason: '"10.0.0.300" is not an IP address' }]);
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM device')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM ingest_reject')).toBe(1);
  });

  it('rejects a bad address and a NUL character on the direct path, with line and field, and commits the rest', async () => {
    const lines = rows(0, 1000);
    lines[10] = eventRow(10, { remoteIp: '1.2.3.999' });
    lines[600] = eventRow(600, { commandLine: 'tor.exe\u0000--x' });
    const summary = await ingestReopenable(csv(lines));
    expect(summary).toMatchObject({
      loader: 'direct',
      status: 'committed',
      read: 1000,
      inserted: 998,
      duplicate: 0,
      rejected: 2,
      reopened: 0,
    });
    expect(summary.rejects.map((r) => [r.line, r.field])).toEqual([
      [12, 'RemoteIP'],
      [602, 'InitiatingProcessCommandLine'],
    ]);
    expect(summary.rejects[1].reason).toMatch(/NUL/);
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(998);
    expect(await count(`SELECT count(*)::int AS n FROM network_event_wide WHERE report_id IN ('10', '600')`)).toBe(0);
  });

  it('two files with the same events loading at once, in opposite orders, both commit: one writes, the other waits', async () => {
    // Each would reach events the other has written but not committed, in the other order — a deadlock — were it not
    // for the events-writer lock: the batch that has it COPYs directly, the other stages and merges after it.
    const forward = rows(0, 20 * CHUNK_ROWS);
    const texts = [csv(forward), csv([...forward].reverse())];
    const both = await Promise.all(texts.map((text) => ingestReopenable(text)));
    expect(both.map((s) => s.status)).toEqual(['committed', 'committed']);
    expect(both.map((s) => s.inserted).sort((a, b) => a - b)).toEqual([0, 20 * CHUNK_ROWS]);
    expect(both.map((s) => s.duplicate).sort((a, b) => a - b)).toEqual([0, 20 * CHUNK_ROWS]);
    expect(both.find((s) => s.inserted > 0)?.loader).toBe('direct');
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(20 * CHUNK_ROWS);
  });

  it('two uploads (staging only) with the same events at once, in opposite orders, both commit', async () => {
    const forward = rows(0, 20 * CHUNK_ROWS);
    const both = await Promise.all(
      [forward, [...forward].reverse()].map((lines) => ingestFile(bytes(csv(lines)), { ...base, via: 'api' })),
    );
    expect(both.map((s) => [s.status, s.loader])).toEqual([
      ['committed', 'staging'],
      ['committed', 'staging'],
    ]);
    expect(both.map((s) => s.inserted).sort((a, b) => a - b)).toEqual([0, 20 * CHUNK_ROWS]);
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(20 * CHUNK_ROWS);
  });

  it('a stream that fails part-way through the direct COPY leaves nothing, and the connection loads the file next', async () => {
    const text = csv(rows(0, 4 * CHUNK_ROWS));
    const failed = await ingestFile(failingHalfway(text), { ...base, reopen: () => bytes(text) });
    expect(failed).toMatchObject({
      loader: 'direct',
      status: 'failed',
      inserted: 0,
      error: 'connection reset by peer',
    });
    expect(await count('SELECT count(*)::int AS n FROM network_event')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM device')).toBe(0);
    const rerun = await ingestReopenable(text);
    expect(rerun).toMatchObject({ loader: 'direct', status: 'committed', inserted: 4 * CHUNK_ROWS });
  });
});
