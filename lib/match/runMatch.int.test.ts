import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import type { CompatRecord, HitRecord } from '@/lib/queries/hitColumns';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { exportHitRecords } from '@/lib/queries/exportHits';
import { addBatch, addCompatSnapshot, addDeviceInfo, addEvents, addInterval, addRelay } from './matchFixture';
import { runMatch } from './runMatch';
import { CANDIDATE_PROBE_SETTINGS, matchedEventsSql } from './matchSql';

useTestDatabase();

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);
const C = 'C'.repeat(40);
const X = 'E'.repeat(40);
// Relay data as the store leaves it after a snapshot observed 2026-11-20T12:00Z.
const FROM = '2026-10-01T00:00:00Z';
const TO = '2026-11-20T12:00:00Z';

async function allHits(): Promise<HitRecord[]> {
  const out: HitRecord[] = [];
  await exportHitRecords(LOCAL_OPERATOR, {}, (rows) => void out.push(...(rows as HitRecord[])));
  return out;
}
const byDevice = (hits: HitRecord[], device: string) => hits.filter((h) => h.DeviceId === device);

describe('match engine on a hand-written fixture', () => {
  beforeAll(async () => {
    await resetDatabase();
    await addRelay(A, { nickname: 'alpha', country: 'de', flags: ['Guard', 'Running'] });
    await addRelay(B, { nickname: 'bravo', country: 'de', flags: ['Exit', 'Running'] });
    await addRelay(C, { nickname: 'charlie', country: 'nl', flags: ['Fast', 'Running', 'Stable'] });
    await addRelay(X, { nickname: 'exity', country: 'se', flags: ['Exit'] });
    // 198.51.100.7 is shared by two relays; C listens on IPv6; X exits from an address that is not its OR address.
    await addInterval(A, '198.51.100.7', 9001, 'or', FROM, TO);
    await addInterval(B, '198.51.100.7', 443, 'or', FROM, TO);
    await addInterval(C, '2001:db8:0:0:0:0:0:77', 9001, 'or', FROM, TO);
    await addInterval(X, '203.0.113.9', 0, 'exit', '2026-11-19T12:00:00Z', TO);
    await addDeviceInfo('dev-two-ips', '2026-11-01T00:00:00Z', '192.0.2.1');
    await addDeviceInfo('dev-two-ips', '2026-11-10T00:00:00Z', '192.0.2.2');
    await addDeviceInfo('dev-v4', '2026-11-01T00:00:00Z', '192.0.2.10');
    await addDeviceInfo('dev-late-info', '2026-11-30T00:00:00Z', '192.0.2.30');
    const batch = await addBatch();
    await addEvents(batch, [
      { ts: '2026-11-05T10:00:00.1234560Z', deviceId: 'dev-v4', remoteIp: '198.51.100.7', remotePort: 9001 },
      { ts: '2026-11-05T11:00:00Z', deviceId: 'dev-v6', remoteIp: '2001:DB8::77', remotePort: 9001 },
      {
        ts: '2026-11-05T12:00:00Z',
        deviceId: 'dev-v6',
        remoteIp: '2001:0db8:0000:0000:0000:0000:0000:0077',
        remotePort: 443,
      },
      { ts: '2026-11-05T13:00:00Z', deviceId: 'dev-mapped', remoteIp: '::ffff:198.51.100.7', remotePort: 443 },
      { ts: '2026-09-29T00:00:00Z', deviceId: 'dev-before', remoteIp: '198.51.100.7' }, // > 24 h before: no hit
      { ts: '2026-09-30T12:00:00Z', deviceId: 'dev-grace', remoteIp: '198.51.100.7', remotePort: 9001 }, // in the grace
      { ts: '2026-12-20T00:00:00Z', deviceId: 'dev-after', remoteIp: '198.51.100.7' }, // long after: no hit
      {
        ts: '2026-11-06T00:00:00Z',
        deviceId: 'dev-inbound',
        remoteIp: '198.51.100.7',
        remotePort: 51234,
        actionType: 'InboundConnectionAccepted',
        direction: 'inbound',
      },
      {
        ts: '2026-11-06T01:00:00Z',
        deviceId: 'dev-inspected',
        remoteIp: '198.51.100.7',
        remotePort: 443,
        actionType: 'HttpConnectionInspected',
        direction: 'unknown',
        process: null,
        folder: null,
      },
      { ts: '2026-11-02T00:00:00Z', deviceId: 'dev-two-ips', remoteIp: '198.51.100.7', remotePort: 9001 },
      { ts: '2026-11-12T00:00:00Z', deviceId: 'dev-two-ips', remoteIp: '198.51.100.7', remotePort: 9001 },
      { ts: '2026-11-07T00:00:00Z', deviceId: 'dev-late-info', remoteIp: '198.51.100.7', remotePort: 9001 },
      { ts: '2026-11-19T20:00:00Z', deviceId: 'dev-exit', remoteIp: '203.0.113.9', remotePort: 80 },
      { ts: '2026-11-10T00:00:00Z', deviceId: 'dev-exit', remoteIp: '203.0.113.9', remotePort: 80 }, // outside the exit window
      { ts: '2026-11-05T00:00:00Z', deviceId: 'dev-clean', remoteIp: '8.8.8.8' },
      { ts: '2026-11-05T00:00:00Z', deviceId: 'dev-empty', remoteIp: null },
    ]);
    await addCompatSnapshot(TO, [
      { fingerprint: A, ip: '198.51.100.7', port: 9001, hostname: 'a.example', country: 'de' },
      { fingerprint: B, ip: '198.51.100.7', port: 443, hostname: '', country: 'de' },
      { fingerprint: C, ip: '2001:db8::77', port: 9001, country: 'nl' },
    ]);
  });

  it('finds exactly the expected events, one hit each', async () => {
    const result = await runMatch({ mode: 'incremental', trigger: 'test', afterMatch: [] });
    expect(result.eventsScanned).toBe(16); // every event of the new batch, the one without RemoteIP too
    const hits = await allHits();
    expect(hits.map((h) => `${h.DeviceId} ${h.Timestamp}`)).toEqual(
      [
        'dev-grace 2026-09-30T12:00:00.000000Z',
        'dev-two-ips 2026-11-02T00:00:00.000000Z',
        'dev-mapped 2026-11-05T13:00:00.000000Z',
        'dev-v4 2026-11-05T10:00:00.123456Z',
        'dev-v6 2026-11-05T11:00:00.000000Z',
        'dev-v6 2026-11-05T12:00:00.000000Z',
        'dev-inbound 2026-11-06T00:00:00.000000Z',
        'dev-inspected 2026-11-06T01:00:00.000000Z',
        'dev-late-info 2026-11-07T00:00:00.000000Z',
        'dev-two-ips 2026-11-12T00:00:00.000000Z',
        'dev-exit 2026-11-19T20:00:00.000000Z',
      ].sort((a, b) => a.split(' ')[1].localeCompare(b.split(' ')[1])),
    );
    expect(result.hitsNew).toBe(11);
  });

  it('joins a shared address to every relay on it, with ports, flags and exit evidence', async () => {
    const hits = await allHits();
    const [v4] = byDevice(hits, 'dev-v4');
    expect(v4).toMatchObject({
      RemoteIP: '198.51.100.7',
      RelayFingerprints: [A, B],
      RelayNicknames: ['alpha', 'bravo'],
      RelayFlags: ['Exit', 'Guard', 'Running'],
      CountryCode: 'de',
      PortMatch: true,
      IsExit: true,
      ViaExitAddress: false,
      Confidence: 'high',
      Direction: 'outbound',
      Status: 'new',
      LocalPublicIP: '192.0.2.10',
    });
    const [v6a, v6b] = byDevice(hits, 'dev-v6');
    // One relay on the address: its own metadata, flags as stored (sorted by the relay import).
    expect(v6a).toMatchObject({
      RemoteIP: '2001:db8::77',
      PortMatch: true,
      Confidence: 'high',
      CountryCode: 'nl',
      IsExit: false,
      RelayFingerprints: [C],
      RelayNicknames: ['charlie'],
      RelayFlags: ['Fast', 'Running', 'Stable'],
    });
    expect(v6b).toMatchObject({ PortMatch: false, Confidence: 'medium' });
    expect(byDevice(hits, 'dev-mapped')[0]).toMatchObject({ RemoteIP: '198.51.100.7', PortMatch: true });
    expect(byDevice(hits, 'dev-exit')[0]).toMatchObject({
      ViaExitAddress: true,
      IsExit: true,
      PortMatch: false,
      Confidence: 'low',
      RelayFingerprints: [X],
      RelayNicknames: ['exity'],
      RelayFlags: ['Exit'],
      CountryCode: 'se',
    });
  });

  it('grades direction, grace and inspected events', async () => {
    const hits = await allHits();
    expect(byDevice(hits, 'dev-grace')[0]).toMatchObject({ PortMatch: true, Confidence: 'medium' });
    expect(byDevice(hits, 'dev-inbound')[0]).toMatchObject({
      Direction: 'inbound',
      PortMatch: false,
      Confidence: 'low',
    });
    expect(byDevice(hits, 'dev-inspected')[0]).toMatchObject({
      Direction: 'unknown',
      InitiatingProcessFileName: null,
      ActionType: 'HttpConnectionInspected',
      PortMatch: true,
    });
  });

  it('takes the public IP the device had at the event time', async () => {
    const hits = byDevice(await allHits(), 'dev-two-ips');
    expect(hits.map((h) => h.LocalPublicIP)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(byDevice(await allHits(), 'dev-late-info')[0].LocalPublicIP).toBe('192.0.2.30'); // earliest after
    expect(byDevice(await allHits(), 'dev-v6')[0].LocalPublicIP).toBeNull(); // never in DeviceInfo
  });

  it('creates nothing new when run again, incrementally or in full', async () => {
    expect((await runMatch({ mode: 'incremental', afterMatch: [] })).hitsNew).toBe(0);
    const full = await runMatch({ mode: 'full', afterMatch: [] });
    expect(full).toMatchObject({ hitsNew: 0, hitsUpdated: 0, hitsRetired: 0, eventsScanned: 16 });
    expect(await allHits()).toHaveLength(11);
  });

  it('re-examines old events when relay data arrives after them (retro)', async () => {
    await addRelay('D'.repeat(40), { nickname: 'late', country: 'fr', flags: ['Running'] });
    await addInterval('D'.repeat(40), '8.8.8.8', 443, 'or', '2026-11-01T00:00:00Z', '2026-11-06T00:00:00Z');
    const retro = await runMatch({ mode: 'retro', trigger: 'relays', afterMatch: [] });
    expect(retro.hitsNew).toBe(1);
    expect(retro.hitsUpdated).toBe(0);
    expect(retro.eventsScanned).toBe(1);
    // Extending the interval re-examines only the newly covered stretch (dev-after's event lies past it).
    await getPool().query(
      `UPDATE relay_address SET valid_to = '2026-12-25T00:00:00Z' WHERE ip = '198.51.100.7' AND fingerprint = $1`,
      [A],
    );
    const extended = await runMatch({ mode: 'incremental', afterMatch: [] });
    expect(extended).toMatchObject({ eventsScanned: 1, hitsNew: 1 });
    expect(byDevice(await allHits(), 'dev-after')[0]).toMatchObject({ RelayFingerprints: [A], PortMatch: false });
    await getPool().query(`UPDATE relay_address SET valid_to = $2 WHERE ip = '198.51.100.7' AND fingerprint = $1`, [
      A,
      TO,
    ]);
    expect(byDevice(await allHits(), 'dev-clean')[0]).toMatchObject({
      RemoteIP: '8.8.8.8',
      PortMatch: true,
      CountryCode: 'fr',
    });
  });

  it('marks a hit whose evidence disappeared instead of deleting it', async () => {
    await getPool().query(`DELETE FROM relay_address WHERE fingerprint = $1`, ['D'.repeat(40)]);
    const full = await runMatch({ mode: 'full', afterMatch: [] });
    expect(full.hitsRetired).toBe(2); // dev-clean (its relay is gone) and dev-after (the extension was withdrawn)
    expect(byDevice(await allHits(), 'dev-clean')).toEqual([]);
    const kept = await getPool().query(`SELECT evidence_valid FROM hit WHERE device_id = 'dev-clean'`);
    expect(kept.rows).toEqual([{ evidence_valid: false }]);
  });

  it('reproduces the KQL rule: IPv4 rows of the latest snapshot × events × (device, public IP) pairs', async () => {
    const rows: CompatRecord[] = [];
    await exportHitRecords(LOCAL_OPERATOR, { compat: true }, (batch) => void rows.push(...(batch as CompatRecord[])));
    const key = (r: CompatRecord) => `${r.DeviceId} ${r.Timestamp} ${r.LocalPublicIP} ${r.Hostname}`;
    // 198.51.100.7 is listed twice (A and B), so each event on it yields two rows per public IP of its device; no
    // time window, so dev-before and dev-after are there; devices without DeviceInfo are not; IPv6 never.
    expect(rows.map(key).sort()).toEqual(
      [
        'dev-v4 2026-11-05T10:00:00.123456Z 192.0.2.10 a.example',
        'dev-v4 2026-11-05T10:00:00.123456Z 192.0.2.10 ',
        ...['2026-11-02T00:00:00.000000Z', '2026-11-12T00:00:00.000000Z'].flatMap((t) =>
          ['192.0.2.1', '192.0.2.2'].flatMap((ip) => [`dev-two-ips ${t} ${ip} a.example`, `dev-two-ips ${t} ${ip} `]),
        ),
        'dev-late-info 2026-11-07T00:00:00.000000Z 192.0.2.30 a.example',
        'dev-late-info 2026-11-07T00:00:00.000000Z 192.0.2.30 ',
      ].sort(),
    );
    expect(rows[0]).toMatchObject({ RemoteIP: '198.51.100.7', TorIP: '198.51.100.7', CountryCode: 'de' });
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

describe('incremental match plan', () => {
  // 20,000 events in one batch, one in ten on one of 2,000 relay addresses. Planned as a plain join, the probe of the
  // candidates' events (remote_ip, ts and id equal) was estimated at one row for all candidates together, so at scale
  // the planner joined the dictionaries and relay_address by a sequential scan per event (bench:history: 16 s for
  // 1,000 candidates at 10 M events, docs/architecture.md §7.2).
  beforeAll(async () => {
    await resetDatabase();
    const pool = getPool();
    await pool.query(`INSERT INTO relay (fingerprint, nickname, country, flags, hostnames)
      SELECT upper(md5(g::text) || substr(md5((g + 1)::text), 1, 8)), 'r' || g, 'de', ARRAY['Running'], '{}'
      FROM generate_series(1, 2000) g`);
    await pool.query(
      `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
      SELECT upper(md5(n::text) || substr(md5((n + 1)::text), 1, 8)), '185.0.0.0'::inet + n, 9001, 'or', $1, $2, 0, 0
      FROM generate_series(1, 2000) n`,
      [FROM, TO],
    );
    const batch = await addBatch();
    await pool.query(
      `INSERT INTO network_event_wide (ts, device_id, direction, remote_ip, remote_port, report_id, source, batch_id)
       SELECT '2026-11-01'::timestamptz + g * interval '1 minute', 'dev-' || (g % 2000), 'outbound',
              CASE WHEN g % 10 = 0 THEN '185.0.0.0'::inet + (1 + g % 2000) ELSE '20.0.0.0'::inet + g END, 9001,
              g::text, 'defender', $1
       FROM generate_series(1, 20000) g`,
      [batch],
    );
    await pool.query('ANALYZE');
  });

  it('expects one event per candidate, so the dictionaries and intervals are probed by index', async () => {
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'CREATE TEMP TABLE candidate_event (id bigint PRIMARY KEY, ts timestamptz NOT NULL, remote_ip inet NOT NULL) ON COMMIT DROP',
      );
      const candidates = await client.query(
        `INSERT INTO candidate_event SELECT e.id, e.ts, e.remote_ip FROM network_event e
         WHERE e.remote_ip IN (SELECT ip FROM relay_address)`,
      );
      expect(candidates.rowCount).toBe(2000);
      const sql = matchedEventsSql('candidates').replace(/CREATE TEMP TABLE run_match ON COMMIT DROP AS/, '');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, ['24 hours', '1 hours']);
      const root = (rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan;
      // The smallest subtree that reads both the candidates and an event partition: where they are joined.
      const relations = (node: PlanNode): string[] => [
        ...(node['Relation Name'] ? [node['Relation Name']] : []),
        ...(node.Plans ?? []).flatMap(relations),
      ];
      const joins: PlanNode[] = [];
      const walk = (node: PlanNode) => {
        const names = relations(node);
        if (names.includes('candidate_event') && names.some((n) => n.startsWith('network_event'))) joins.push(node);
        (node.Plans ?? []).forEach(walk);
      };
      walk(root);
      const join = joins[joins.length - 1];
      const scan = (function find(node: PlanNode): PlanNode | undefined {
        if (node['Relation Name'] === 'candidate_event') return node;
        for (const child of node.Plans ?? []) {
          const found = find(child);
          if (found) return found;
        }
      })(root)!;
      expect(join['Plan Rows']).toBeGreaterThanOrEqual(scan['Plan Rows'] / 2);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('incremental match plan, addresses that repeat', () => {
  // 40,000 events of one month where the other addresses repeat (50 of them, as real traffic's do), one in ten on one
  // of 2,000 relay addresses. The planner then expects many events per address and, left alone, intersects the
  // address index with the BRIN on ts (a BitmapAnd): the BRIN is read whole for every candidate, linear in the size
  // of the month (bench:history). With the match's settings the probe reads the address index alone.
  beforeAll(async () => {
    await resetDatabase();
    const pool = getPool();
    await pool.query(
      `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
      SELECT upper(md5(n::text) || substr(md5((n + 1)::text), 1, 8)), '185.0.0.0'::inet + n, 9001, 'or', $1, $2, 0, 0
      FROM generate_series(1, 2000) n`,
      [FROM, TO],
    );
    const batch = await addBatch();
    await pool.query(
      `INSERT INTO network_event_wide (ts, device_id, direction, remote_ip, remote_port, report_id, source, batch_id)
       SELECT '2026-11-01'::timestamptz + g * interval '30 seconds', 'dev-' || (g % 200), 'outbound',
              CASE WHEN g % 10 = 0 THEN '185.0.0.0'::inet + (1 + g % 2000) ELSE '20.0.0.0'::inet + g % 50 END, 9001,
              g::text, 'defender', $1
       FROM generate_series(1, 40000) g`,
      [batch],
    );
    await pool.query('ANALYZE');
  });

  it('probes each candidate through the address index, never the BRIN on ts', async () => {
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'CREATE TEMP TABLE candidate_event (id bigint PRIMARY KEY, ts timestamptz NOT NULL, remote_ip inet NOT NULL) ON COMMIT DROP',
      );
      await client.query(
        `INSERT INTO candidate_event SELECT e.id, e.ts, e.remote_ip FROM network_event e
         WHERE e.remote_ip IN (SELECT ip FROM relay_address)`,
      );
      await client.query(CANDIDATE_PROBE_SETTINGS);
      const sql = matchedEventsSql('candidates').replace(/CREATE TEMP TABLE run_match ON COMMIT DROP AS/, '');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, ['24 hours', '1 hours']);
      const indexes = (node: PlanNode): string[] => [
        ...(node['Index Name'] ? [node['Index Name']] : []),
        ...(node.Plans ?? []).flatMap(indexes),
      ];
      const used = indexes((rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan);
      expect(used.some((name) => name.endsWith('_remote_ip_idx'))).toBe(true);
      expect(used.filter((name) => name.endsWith('_ts_idx'))).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
