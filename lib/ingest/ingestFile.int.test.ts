import { createReadStream } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { ingestFile, type IngestOptions } from './ingestFile';
import { openBatch, recoverInterruptedBatches } from './ingestBatchRow';
import { bytes, failingHalfway } from './__fixtures__/byteStreams';

useTestDatabase();

const SAMPLE = '/work/shared/examples/kql-parity/DeviceNetworkEvents.csv';
const HEADER =
  'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,LocalIP,InitiatingProcessCommandLine,ReportId';

function networkRow(
  i: number,
  overrides: Partial<Record<'ts' | 'remoteIp' | 'commandLine' | 'device', string>> = {},
): string {
  const ts =
    overrides.ts ??
    `2026-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.1234567Z`;
  return [
    ts,
    overrides.device ?? 'dev-1',
    'pc1.corp',
    'ConnectionSuccess',
    overrides.remoteIp ?? `1.2.${Math.floor(i / 250)}.${i % 250}`,
    '9001',
    '10.0.0.2',
    overrides.commandLine ?? 'tor.exe',
    String(i),
  ].join(',');
}

function csv(rows: string[]): string {
  return `${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

const base: IngestOptions = { file: 'test.csv', via: 'cli', queueMatch: false };

async function eventCount(batchId?: number): Promise<number> {
  const { rows } = await getPool().query<{ n: string }>(
    batchId === undefined
      ? 'SELECT count(*) AS n FROM network_event'
      : 'SELECT count(*) AS n FROM network_event WHERE batch_id = $1',
    batchId === undefined ? [] : [batchId],
  );
  return Number(rows[0].n);
}

beforeEach(async () => {
  await resetDatabase();
});

describe('ingestFile', () => {
  it('loads the real Defender sample (3,000 rows, no rejects) and loads nothing the second time', async () => {
    const first = await ingestFile(createReadStream(SAMPLE), { ...base, file: 'DeviceNetworkEvents.csv' });
    expect(first).toMatchObject({
      status: 'committed',
      source: 'defender-network-events',
      read: 3000,
      inserted: 3000,
      duplicate: 0,
      rejected: 0,
    });
    expect(first.bytes).toBe(1111588);
    const second = await ingestFile(createReadStream(SAMPLE), { ...base, file: 'DeviceNetworkEvents.csv' });
    expect(second).toMatchObject({ status: 'committed', read: 3000, inserted: 0, duplicate: 3000, rejected: 0 });
    expect(await eventCount()).toBe(3000);
    const batches = await getPool().query(
      'SELECT status, inserted, duplicate, rows_read, matched_at FROM ingest_batch ORDER BY id',
    );
    expect(batches.rows).toEqual([
      { status: 'committed', inserted: 3000, duplicate: 0, rows_read: 3000, matched_at: null },
      { status: 'committed', inserted: 0, duplicate: 3000, rows_read: 3000, matched_at: null },
    ]);
    const devices = await getPool().query<{ n: string }>(
      'SELECT count(*) AS n FROM device WHERE first_seen IS NOT NULL AND device_name IS NOT NULL',
    );
    expect(Number(devices.rows[0].n)).toBeGreaterThan(0);
  });

  it('stores overlapping files once and counts the overlap as duplicates', async () => {
    const rows = Array.from({ length: 15 }, (_, i) => networkRow(i));
    const a = await ingestFile(bytes(csv(rows.slice(0, 10))), base);
    const b = await ingestFile(bytes(csv(rows.slice(5))), base);
    expect([a.inserted, a.duplicate, b.inserted, b.duplicate]).toEqual([10, 0, 5, 5]);
    expect(await eventCount()).toBe(15);
  });

  it('keeps tabs, backslashes, newlines and quotes inside values exactly', async () => {
    const hostile = 'C:\\Tor\\tor.exe\t--a "x,y"\r\nnext\\nline \\N';
    const quoted = `"${hostile.replaceAll('"', '""')}"`;
    const summary = await ingestFile(bytes(csv([networkRow(1, { commandLine: quoted })])), base);
    expect(summary).toMatchObject({ status: 'committed', inserted: 1, rejected: 0 });
    const { rows } = await getPool().query('SELECT process_command_line, ts, remote_ip FROM network_event_wide');
    expect(rows[0].process_command_line).toBe(hostile);
  });

  it('stores rejects with line and field, keeps the valid rows, and caps stored rejects at 1,000', async () => {
    const rows = Array.from({ length: 2400 }, (_, i) =>
      i % 2 === 0 ? networkRow(i) : networkRow(i, { remoteIp: '10.0.0.300' }),
    );
    rows.push(networkRow(5000, { ts: 'yesterday' }));
    const summary = await ingestFile(bytes(csv(rows)), base);
    expect(summary).toMatchObject({ status: 'committed', read: 2401, inserted: 1200, rejected: 1201 });
    expect(summary.rejects).toHaveLength(100);
    expect(summary.rejects[0]).toMatchObject({ line: 3, field: 'RemoteIP' });
    expect(summary.rejects[0].reason).toContain('10.0.0.300');
    const stored = await getPool().query('SELECT line, field FROM ingest_reject WHERE batch_id = $1 ORDER BY line', [
      summary.batchId,
    ]);
    expect(stored.rows).toHaveLength(1000);
    expect(stored.rows[0]).toEqual({ line: 3, field: 'RemoteIP' });
    const batch = await getPool().query('SELECT rejected FROM ingest_batch WHERE id = $1', [summary.batchId]);
    expect(batch.rows[0].rejected).toBe(1201);
  });

  it('--strict refuses a file with any reject and commits none of it', async () => {
    const rows = [networkRow(1), networkRow(2, { remoteIp: 'not-an-ip' }), networkRow(3)];
    const summary = await ingestFile(bytes(csv(rows)), { ...base, strict: true });
    expect(summary).toMatchObject({ status: 'refused', read: 3, inserted: 0, duplicate: 0, rejected: 1 });
    expect(summary.error).toMatch(/strict/);
    expect(await eventCount()).toBe(0);
    const stored = await getPool().query(
      'SELECT line, field, status FROM ingest_reject JOIN ingest_batch b ON b.id = batch_id',
    );
    expect(stored.rows).toEqual([{ line: 3, field: 'RemoteIP', status: 'refused' }]);
  });

  it('leaves nothing of a batch whose stream fails part-way, and a re-run completes it', async () => {
    const text = csv(Array.from({ length: 9000 }, (_, i) => networkRow(i)));
    const failed = await ingestFile(failingHalfway(text), base);
    expect(failed).toMatchObject({ status: 'failed', inserted: 0, error: 'connection reset by peer' });
    expect(failed.read).toBeGreaterThan(2000);
    expect(await eventCount()).toBe(0);
    const rerun = await ingestFile(bytes(text), base);
    expect(rerun).toMatchObject({ status: 'committed', inserted: 9000, duplicate: 0 });
  });

  it('refuses a file that is not telemetry, with the reason', async () => {
    const summary = await ingestFile(bytes('hello,world\r\n1,2\r\n'), base);
    expect(summary.status).toBe('refused');
    expect(summary.error).toMatch(/^test\.csv/);
    const batch = await getPool().query('SELECT status, error FROM ingest_batch');
    expect(batch.rows[0].status).toBe('refused');
  });

  it('loads DeviceInfo into device_info_record and describes the device', async () => {
    const info =
      'Timestamp,DeviceId,DeviceName,PublicIP,OSPlatform,MachineGroup,ReportId,OSBuild\r\n' +
      '2026-01-01T00:00:00Z,dev-1,pc1.corp,::ffff:203.0.113.9,Windows11,Lab,1,22631\r\n' +
      '2026-01-01T01:00:00Z,dev-1,pc1.corp,203.0.113.10,Windows11,Lab,2,22631\r\n';
    const summary = await ingestFile(bytes(info), { ...base, file: 'DeviceInfo.csv' });
    expect(summary).toMatchObject({ status: 'committed', source: 'defender-device-info', inserted: 2 });
    const records = await getPool().query('SELECT host(public_ip) AS ip FROM device_info_record ORDER BY ts');
    expect(records.rows.map((r) => r.ip)).toEqual(['203.0.113.9', '203.0.113.10']);
    const device = await getPool().query('SELECT device_name, os_platform, machine_group, attributes FROM device');
    expect(device.rows[0]).toMatchObject({ device_name: 'pc1.corp', os_platform: 'Windows11', machine_group: 'Lab' });
    expect((await ingestFile(bytes(info), base)).duplicate).toBe(2);
  });

  it("counts a batch's events apart from its DeviceInfo records, and a full match scans just the events", async () => {
    const info =
      'Timestamp,DeviceId,DeviceName,PublicIP,ReportId\r\n2026-01-01T00:00:00Z,dev-1,pc1.corp,203.0.113.9,1\r\n';
    await ingestFile(bytes(info), { ...base, file: 'DeviceInfo.csv' });
    await ingestFile(bytes(csv([networkRow(1), networkRow(2), networkRow(3)])), base);
    const batches = await getPool().query('SELECT inserted, events_inserted FROM ingest_batch ORDER BY id');
    expect(batches.rows).toEqual([
      { inserted: 1, events_inserted: 0 },
      { inserted: 3, events_inserted: 3 },
    ]);
    const { runMatch } = await import('@/lib/match/runMatch');
    expect((await runMatch({ mode: 'full', trigger: 'test', afterMatch: [] })).eventsScanned).toBe(3);
  });

  it('queues an incremental match after a commit', async () => {
    const { PgBoss } = await import('pg-boss');
    const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: 'pgboss' });
    await boss.start();
    await boss.createQueue('match', { policy: 'stately' });
    await boss.stop({ graceful: false });
    // Jobs queued by earlier test files (relay imports queue retro matches) would fill the stately queue's one slot.
    await getPool().query(`DELETE FROM pgboss.job WHERE name = 'match'`);
    await ingestFile(bytes(csv([networkRow(1)])), { ...base, queueMatch: true });
    const jobs = await getPool().query(`SELECT data FROM pgboss.job WHERE name = 'match'`);
    expect(jobs.rows.map((r) => r.data)).toEqual([{ mode: 'incremental', trigger: 'ingest' }]);
  });
});

describe('interrupted batches', () => {
  it('a batch whose connection died is marked failed; one still loading is left alone', async () => {
    const pool = getPool();
    const dead = await pool.connect();
    const deadId = await openBatch(dead, { source: 'auto', file: 'killed.csv', via: 'cli', actor: null });
    dead.release(new Error('simulated kill')); // closes the connection, as a killed process would
    const alive = await pool.connect();
    const aliveId = await openBatch(alive, { source: 'auto', file: 'loading.csv', via: 'cli', actor: null });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await recoverInterruptedBatches(pool)).toEqual([deadId]);
      const { rows } = await pool.query('SELECT id, status FROM ingest_batch ORDER BY id');
      expect(rows).toEqual([
        { id: deadId, status: 'failed' },
        { id: aliveId, status: 'running' },
      ]);
    } finally {
      alive.release(new Error('done'));
    }
  });
});

describe('deleteIngestBatch', () => {
  it('removes exactly the batch with its events, their hits and its DeviceInfo records', async () => {
    await resetDatabase();
    const { deleteIngestBatch } = await import('./deleteIngestBatch');
    const rows = Array.from({ length: 6 }, (_, i) => networkRow(i));
    const first = await ingestFile(bytes(csv(rows.slice(0, 3))), base);
    const second = await ingestFile(bytes(csv(rows.slice(3))), base);
    const pool = getPool();
    await pool.query(
      `INSERT INTO hit (event_id, ts, device_id, remote_ip, direction, port_match, is_exit, via_exit_address, confidence)
       SELECT id, ts, device_id, remote_ip, direction, true, false, false, 'high' FROM network_event_wide`,
    );
    expect(await deleteIngestBatch(first.batchId)).toMatchObject({ events: 3, hits: 3, deviceInfoRecords: 0 });
    const left = await pool.query('SELECT DISTINCT e.batch_id FROM hit h JOIN network_event e ON e.id = h.event_id');
    expect(left.rows).toEqual([{ batch_id: second.batchId }]);
    expect(await eventCount()).toBe(3);
    expect((await pool.query('SELECT count(*)::int AS n FROM hit')).rows[0].n).toBe(3);
    expect((await pool.query('SELECT id FROM ingest_batch')).rows).toEqual([{ id: second.batchId }]);
    expect(await deleteIngestBatch(first.batchId)).toBeNull();
    // Re-ingesting the deleted file brings exactly its rows back.
    expect((await ingestFile(bytes(csv(rows.slice(0, 3))), base)).inserted).toBe(3);
  });
});

describe('bad files through the loader', () => {
  it('a truncated gzip and a binary file are refused with nothing committed; a gzip that is whole loads', async () => {
    await resetDatabase();
    const { gzipSync } = await import('node:zlib');
    const text = csv(Array.from({ length: 5000 }, (_, i) => networkRow(i)));
    const gz = gzipSync(Buffer.from(text));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const truncated = await ingestFile(
      (async function* () {
        yield cut;
      })(),
      { ...base, file: 'cut.csv.gz' },
    );
    expect(truncated).toMatchObject({ status: 'refused', inserted: 0 });
    expect(truncated.error).toMatch(/^cut\.csv\.gz.*truncated gzip/);
    expect(await eventCount()).toBe(0);
    const binary = await ingestFile(
      (async function* () {
        yield Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2]);
      })(),
      { ...base, file: 'x.zip' },
    );
    expect(binary).toMatchObject({ status: 'refused' });
    expect(binary.error).toMatch(/zip archive/);
    const whole = await ingestFile(
      (async function* () {
        yield gz;
      })(),
      { ...base, file: 'ok.csv.gz' },
    );
    expect(whole).toMatchObject({ status: 'committed', inserted: 5000 });
  });
});
