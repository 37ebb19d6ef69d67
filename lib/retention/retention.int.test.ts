import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { getPool } from '@/lib/db/pool';
import { deleteIngestBatch } from '@/lib/ingest/deleteIngestBatch';
import { ingestFile, type IngestOptions } from '@/lib/ingest/ingestFile';
import { bytes } from '@/lib/ingest/__fixtures__/byteStreams';
import { addInterval, addRelay } from '@/lib/match/matchFixture';
import { runMatch } from '@/lib/match/runMatch';
import { exportHitRecords } from '@/lib/queries/exportHits';
import type { HitRecord } from '@/lib/queries/hitColumns';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { createTestDatabase } from '../../tests/testDatabase';
import { applyRetention } from './applyRetention';
import { listMonthPartitions, monthPartitionName, nextMonth } from './monthPartitions';
import { planRetention } from './retentionPlan';

useTestDatabase();

// Retention and hourly summaries (docs/architecture.md §16) through the real ingest, match and retention paths.

const HEADER = 'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,InitiatingProcessFileName,ReportId';
const RELAY_IP = '198.51.100.50';
const FINGERPRINT = 'F'.repeat(40);
const DAY = 86_400_000;
/** Eight days on: the batches ingested by the test are no longer "ingested in the last 7 days". */
const inEightDays = () => new Date(Date.now() + 8 * DAY);

interface Row {
  ts: string;
  device?: string;
  action?: string;
  ip?: string;
  port?: number;
  process?: string;
  report: string;
}

function csv(rows: Row[]): string {
  const lines = rows.map((r) =>
    [
      r.ts,
      r.device ?? 'dev-a',
      `${r.device ?? 'dev-a'}.corp`,
      r.action ?? 'ConnectionSuccess',
      r.ip ?? RELAY_IP,
      r.port ?? 9001,
      r.process ?? 'tor.exe',
      r.report,
    ].join(','),
  );
  return `${HEADER}\r\n${lines.join('\r\n')}\r\n`;
}

const base: IngestOptions = { file: 'old.csv', via: 'cli', queueMatch: false };

/** Through the CLI's path (a file read twice: the direct COPY, staging when it gives way). */
async function ingestAsFile(rows: Row[]) {
  const text = csv(rows);
  const summary = await ingestFile(bytes(text), { ...base, reopen: () => bytes(text) });
  expect(summary.status).toBe('committed');
  return summary;
}

/** Through the upload path (read once: staging). */
async function ingestAsUpload(rows: Row[]) {
  const summary = await ingestFile(bytes(csv(rows)), { ...base, via: 'upload' });
  expect(summary.status).toBe('committed');
  return summary;
}

interface SummaryRow {
  hour: string;
  device_id: string;
  remote: string;
  remote_port: number | null;
  process: string | null;
  events: number;
  first_seen: string;
  last_seen: string;
  actions: string[];
  directions: number;
}

async function summaries(): Promise<SummaryRow[]> {
  const { rows } = await getPool().query<SummaryRow>(`
    SELECT to_char(s.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24"Z"') AS hour, d.device_id, host(s.remote_ip) AS remote,
           s.remote_port, p.file_name AS process, s.events,
           to_char(s.first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS first_seen,
           to_char(s.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_seen,
           ARRAY(SELECT t.name FROM action_type t WHERE t.action_key = ANY (s.action_keys) ORDER BY t.name) AS actions,
           s.directions
    FROM connection_summary s JOIN device d ON d.device_key = s.device_key
    LEFT JOIN process_image p ON p.process_key = s.process_key
    ORDER BY s.hour, d.device_id, s.remote_ip, s.remote_port`);
  return rows;
}

async function hits(): Promise<HitRecord[]> {
  const out: HitRecord[] = [];
  await exportHitRecords(LOCAL_OPERATOR, {}, (rows) => void out.push(...(rows as HitRecord[])));
  return out;
}

async function eventPartitions(): Promise<string[]> {
  return (await listMonthPartitions(getPool(), 'network_event')).map((p) => p.name);
}

const JANUARY = [
  { ts: '2026-01-10T08:05:00Z', report: 'j1' },
  { ts: '2026-01-10T08:40:00Z', report: 'j2', action: 'ConnectionFailed' },
  { ts: '2026-01-10T09:15:00Z', report: 'j3' },
  { ts: '2026-01-10T09:20:00Z', report: 'j4', device: 'dev-b', port: 443, process: 'firefox.exe' },
  { ts: '2026-01-25T12:00:00Z', report: 'j5', ip: '192.0.2.99' },
];

beforeEach(async () => {
  await resetDatabase();
  // Other test files leave (emptied) month partitions behind: start from none, so the plans list only this file's.
  for (const table of ['network_event', 'connection_summary'])
    for (const partition of await listMonthPartitions(getPool(), table))
      await getPool().query(`DROP TABLE "${partition.name}"`);
});

/** Matches what is waiting, then applies retention eight days on (January is then all matched and not recent). */
async function matchAndDrop() {
  await runMatch({ mode: 'incremental', afterMatch: [] });
  return applyRetention({ dryRun: false, actor: LOCAL_OPERATOR, trigger: 'cli', now: inEightDays() });
}

const EXPECTED_JANUARY: SummaryRow[] = [
  {
    hour: '2026-01-10T08Z',
    device_id: 'dev-a',
    remote: RELAY_IP,
    remote_port: 9001,
    process: 'tor.exe',
    events: 2,
    first_seen: '2026-01-10T08:05:00Z',
    last_seen: '2026-01-10T08:40:00Z',
    actions: ['ConnectionFailed', 'ConnectionSuccess'],
    directions: 1,
  },
  {
    hour: '2026-01-10T09Z',
    device_id: 'dev-a',
    remote: RELAY_IP,
    remote_port: 9001,
    process: 'tor.exe',
    events: 1,
    first_seen: '2026-01-10T09:15:00Z',
    last_seen: '2026-01-10T09:15:00Z',
    actions: ['ConnectionSuccess'],
    directions: 1,
  },
  {
    hour: '2026-01-10T09Z',
    device_id: 'dev-b',
    remote: RELAY_IP,
    remote_port: 443,
    process: 'firefox.exe',
    events: 1,
    first_seen: '2026-01-10T09:20:00Z',
    last_seen: '2026-01-10T09:20:00Z',
    actions: ['ConnectionSuccess'],
    directions: 1,
  },
  {
    hour: '2026-01-25T12Z',
    device_id: 'dev-a',
    remote: '192.0.2.99',
    remote_port: 9001,
    process: 'tor.exe',
    events: 1,
    first_seen: '2026-01-25T12:00:00Z',
    last_seen: '2026-01-25T12:00:00Z',
    actions: ['ConnectionSuccess'],
    directions: 1,
  },
];

describe('hourly connection summaries', () => {
  it('are made when a month is dropped, per device, remote, port, process and hour, from what is stored then', async () => {
    await ingestAsFile(JANUARY);
    // The same file again, as a file (direct COPY gives way to staging) and as an upload: all duplicates.
    expect((await ingestAsFile(JANUARY)).inserted).toBe(0);
    expect((await ingestAsUpload(JANUARY)).inserted).toBe(0);
    // An overlapping upload, deleted again before retention: it leaves nothing behind.
    const overlap = await ingestAsUpload([
      JANUARY[0],
      { ts: '2026-01-10T08:55:00Z', report: 'j6', action: 'InboundConnectionAccepted' },
    ]);
    expect(overlap).toMatchObject({ inserted: 1, duplicate: 1 });
    expect(await deleteIngestBatch(overlap.batchId)).toMatchObject({ events: 1 });
    // Inside the raw window ingest writes no summary rows (docs/architecture.md §16.1).
    expect(await summaries()).toEqual([]);

    const applied = await matchAndDrop();
    expect(applied.dropped.map((p) => `${p.table} ${p.month}`)).toEqual(['network_event 2026-01']);
    expect(await summaries()).toEqual(EXPECTED_JANUARY);
  });

  it('a month ingested again after it was dropped is not counted twice when it is dropped again', async () => {
    await ingestAsFile(JANUARY);
    await matchAndDrop();
    expect(await summaries()).toEqual(EXPECTED_JANUARY);

    // The same file again: its duplicates are gone with the raw month, so every row is stored again.
    expect((await ingestAsFile(JANUARY)).inserted).toBe(5);
    // And an export that holds more of one hour: a new connection at 08:55 with another action type.
    expect(
      await ingestAsUpload([
        JANUARY[0],
        JANUARY[1],
        { ts: '2026-01-10T08:55:00Z', report: 'j6', action: 'InboundConnectionAccepted' },
      ]),
    ).toMatchObject({ inserted: 1, duplicate: 2 });
    const applied = await matchAndDrop();
    expect(applied.dropped.map((p) => `${p.table} ${p.month}`)).toEqual(['network_event 2026-01']);
    const [first, ...rest] = await summaries();
    expect(first).toEqual({
      ...EXPECTED_JANUARY[0],
      events: 3,
      last_seen: '2026-01-10T08:55:00Z',
      actions: ['ConnectionFailed', 'ConnectionSuccess', 'InboundConnectionAccepted'],
      directions: 1 | 2,
    });
    expect(rest).toEqual(EXPECTED_JANUARY.slice(1));
    // The raw months dropped add up: 5 events, then 6.
    const dropped = await getPool().query(`SELECT events::int FROM retention_dropped_month`);
    expect(dropped.rows).toEqual([{ events: 11 }]);
  });
});

describe('retention', () => {
  afterEach(() => {
    delete process.env.TORWATCH_SUMMARY_RETENTION_DAYS;
  });

  it('holds a month until its events are matched and none came in during the last 7 days; a dry run changes nothing', async () => {
    await ingestAsFile(JANUARY);
    const current = new Date();
    await ingestAsFile([{ ts: current.toISOString(), report: 'now' }]);
    const january = (plan: Awaited<ReturnType<typeof planRetention>>) =>
      plan.partitions.find((p) => p.table === 'network_event' && p.month === '2026-01');
    const thisMonth = current.toISOString().slice(0, 7);

    const client = await getPool().connect();
    try {
      let plan = await planRetention(client, inEightDays());
      expect(january(plan)?.verdict).toEqual({ action: 'hold', reason: '5 event(s) not matched yet' });
      expect(plan.partitions.find((p) => p.table === 'network_event' && p.month === thisMonth)?.verdict.action).toBe(
        'keep',
      );
      await runMatch({ mode: 'incremental', afterMatch: [] });
      plan = await planRetention(client); // today: the batch came in just now
      expect(january(plan)?.verdict).toEqual({ action: 'hold', reason: '5 event(s) ingested in the last 7 days' });
      plan = await planRetention(client, inEightDays());
      expect(january(plan)).toMatchObject({ rows: 5, approximate: false, verdict: { action: 'drop' } });
    } finally {
      client.release();
    }

    const dry = await applyRetention({ dryRun: true, actor: LOCAL_OPERATOR, trigger: 'cli', now: inEightDays() });
    expect(dry.dropped).toEqual([]);
    expect(january(dry.plan)?.verdict.action).toBe('drop');
    expect(await eventPartitions()).toContain('network_event_y2026m01');
    const audited = async () =>
      (await getPool().query(`SELECT actor, details FROM audit_log WHERE action = 'retention.apply'`)).rows;
    expect(await audited()).toEqual([]);

    const applied = await applyRetention({ dryRun: false, actor: LOCAL_OPERATOR, trigger: 'cli', now: inEightDays() });
    expect(applied.dropped.map((p) => `${p.table} ${p.month}`)).toEqual(['network_event 2026-01']);
    expect(await eventPartitions()).not.toContain('network_event_y2026m01');
    expect(await eventPartitions()).toContain(`network_event_y${thisMonth.replace('-', 'm')}`);
    expect(await audited()).toEqual([
      {
        actor: 'torwatch CLI',
        details: {
          trigger: 'cli',
          dropped: [{ table: 'network_event', month: '2026-01', rows: 5, bytes: expect.any(Number) }],
        },
      },
    ]);
    const dropped = await getPool().query(`SELECT to_char(month AT TIME ZONE 'UTC', 'YYYY-MM') AS month, events::int
                                           FROM retention_dropped_month`);
    expect(dropped.rows).toEqual([{ month: '2026-01', events: 5 }]);
    // The summaries stay (two years), and so does the current month's raw data.
    expect((await summaries()).filter((s) => s.hour.startsWith('2026-01'))).toHaveLength(4);
    const left = await getPool().query<{ n: number }>('SELECT count(*)::int AS n FROM network_event');
    expect(left.rows[0].n).toBe(1);
  });

  it('drops summary months past TORWATCH_SUMMARY_RETENTION_DAYS, and keeps hits', async () => {
    await addRelay(FINGERPRINT, { nickname: 'fox', country: 'de', flags: ['Guard'] });
    await addInterval(FINGERPRINT, RELAY_IP, 9001, 'or', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z');
    await ingestAsFile(JANUARY);
    expect((await matchAndDrop()).dropped.map((p) => `${p.table} ${p.month}`)).toEqual(['network_event 2026-01']);
    expect(await hits()).toHaveLength(4);
    expect(await summaries()).toHaveLength(4);
    process.env.TORWATCH_SUMMARY_RETENTION_DAYS = '30';
    const applied = await applyRetention({ dryRun: false, actor: null, trigger: 'schedule', now: inEightDays() });
    expect(applied.dropped.map((p) => `${p.table} ${p.month}`)).toEqual(['connection_summary 2026-01']);
    expect(await summaries()).toEqual([]);
    expect((await hits()).map((h) => h.Precision)).toEqual(['event', 'event', 'event', 'event']);

    // A month whose summaries would be past their retention already is dropped without being summarised.
    expect((await ingestAsFile(JANUARY)).inserted).toBe(5);
    expect((await matchAndDrop()).dropped.map((p) => `${p.table} ${p.month}`)).toEqual(['network_event 2026-01']);
    expect(await listMonthPartitions(getPool(), 'connection_summary')).toEqual([]);
  });
});

describe('matching beyond the raw window', () => {
  it('a backfilled relay interval finds, in the summaries, a device whose raw events were dropped', async () => {
    // An event hit from before retention, to see that a full run later keeps it although its event is gone.
    await addRelay('E'.repeat(40), { nickname: 'early', country: 'se', flags: ['Guard'] });
    await addInterval('E'.repeat(40), '192.0.2.99', 9001, 'or', '2026-01-24T00:00:00Z', '2026-01-26T00:00:00Z');
    await ingestAsFile(JANUARY);
    await runMatch({ mode: 'incremental', afterMatch: [] });
    expect((await hits()).map((h) => [h.RemoteIP, h.Precision])).toEqual([['192.0.2.99', 'event']]);
    await applyRetention({ dryRun: false, actor: LOCAL_OPERATOR, trigger: 'cli', now: inEightDays() });
    expect(await eventPartitions()).not.toContain('network_event_y2026m01');

    // Backfill: relay history now says RELAY_IP was a relay on 10 January, 07:00–08:30 (hour-exact consensus
    // evidence, 1 h grace: 06:00–09:30) — dev-a's 08h summary overlaps the interval itself; its 09:15 connection and
    // dev-b's 09:20 one lie only in the grace margin.
    await addRelay(FINGERPRINT, { nickname: 'fox', country: 'de', flags: ['Guard', 'Running'] });
    await getPool().query(
      `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id, evidence)
       VALUES ($1, $2, 9001, 'or', '2026-01-10T07:00:00Z', '2026-01-10T08:30:00Z', 0, 0, 'consensus')`,
      [FINGERPRINT, RELAY_IP],
    );
    const run = await runMatch({ mode: 'incremental', afterMatch: [] });
    expect(run.hitsNew).toBe(3);
    const found = (await hits()).filter((h) => h.Precision === 'hour');
    expect(found.map((h) => [h.DeviceId, h.Timestamp, h.LastSeen, h.Connections, h.RemotePort])).toEqual([
      ['dev-a', '2026-01-10T08:05:00.000000Z', '2026-01-10T08:40:00.000000Z', 2, 9001],
      ['dev-a', '2026-01-10T09:15:00.000000Z', '2026-01-10T09:15:00.000000Z', 1, 9001],
      ['dev-b', '2026-01-10T09:20:00.000000Z', '2026-01-10T09:20:00.000000Z', 1, 443],
    ]);
    expect(found[0]).toMatchObject({
      RelayFingerprints: [FINGERPRINT],
      RelayNicknames: ['fox'],
      CountryCode: 'de',
      Evidence: ['consensus'],
      InitiatingProcessFileName: 'tor.exe',
      ActionType: 'ConnectionFailed, ConnectionSuccess',
      Direction: 'outbound',
      PortMatch: true,
      Confidence: 'high', // overlaps the interval itself
    });
    expect(found[1].Confidence).toBe('medium'); // only in the grace margin: one step down
    expect(found[2]).toMatchObject({ InitiatingProcessFileName: 'firefox.exe', PortMatch: false, Confidence: 'low' });
    // The device that talked to another address that day has no hit.
    expect(found.every((h) => h.RemoteIP === RELAY_IP)).toBe(true);
    const stored = await getPool().query(
      `SELECT event_id, summary_id IS NOT NULL AS from_summary FROM hit WHERE precision = 'hour'`,
    );
    expect(stored.rows).toEqual(Array(3).fill({ event_id: null, from_summary: true }));

    // Nothing new the second time; a full run re-examines the summaries and keeps every hit, the event hit whose
    // event is gone included.
    expect((await runMatch({ mode: 'incremental', afterMatch: [] })).hitsNew).toBe(0);
    const full = await runMatch({ mode: 'full', afterMatch: [] });
    expect(full).toMatchObject({ hitsNew: 0, hitsRetired: 0 });
    expect((await hits()).map((h) => h.Precision).sort()).toEqual(['event', 'hour', 'hour', 'hour']);
  });
});

describe('the summaries-at-retention migration', () => {
  it('keeps the summaries of dropped months, removes those ingest wrote for months still stored raw', async () => {
    const db = await createTestDatabase('torwatch_summaries_at_retention');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const dir = path.resolve('prisma/migrations');
      const folders = readdirSync(dir)
        .filter((f) => /^\d{14}_/.test(f))
        .sort();
      const at = folders.indexOf('20261201000000_summaries_at_retention');
      const script = (folder: string) => readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8');
      for (const folder of folders.slice(0, at)) await client.query(script(folder));
      await client.query(`INSERT INTO device (device_id) VALUES ('d1')`);
      for (const month of [new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z')])
        await client.query(
          `CREATE TABLE "${monthPartitionName('connection_summary', month)}" PARTITION OF connection_summary
           FOR VALUES FROM ('${month.toISOString()}') TO ('${nextMonth(month).toISOString()}')`,
        );
      await client.query(
        `INSERT INTO retention_dropped_month (month, events, bytes, actor) VALUES ('2026-01-01T00:00:00Z', 3, 1, 'x')`,
      );
      await client.query(
        `INSERT INTO connection_summary (hour, device_key, remote_ip, remote_port, events, first_seen, last_seen)
         SELECT h, 1, '192.0.2.1', 9001, 2, h, h + interval '5 minutes'
         FROM unnest(ARRAY['2026-01-10T08:00:00Z', '2026-01-31T23:00:00Z', '2026-02-01T00:00:00Z']::timestamptz[]) h`,
      );
      await client.query(script(folders[at]));
      const left = await client.query(
        `SELECT to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS hour, events FROM connection_summary ORDER BY hour`,
      );
      expect(left.rows).toEqual([
        { hour: '2026-01-10T08', events: 2 },
        { hour: '2026-01-31T23', events: 2 },
      ]);
      const parts = await client.query(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'connection_summary'::regclass`,
      );
      expect(parts.rows).toEqual([{ relname: 'connection_summary_y2026m01' }]);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
