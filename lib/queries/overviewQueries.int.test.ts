import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import type { Actor } from '@/lib/auth/roles';
import { parseHitFilter } from '@/lib/hits/filters';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { seedHits } from './__fixtures__/seedHits';
import { getOverviewHeadline } from './getOverviewHeadline';
import { getHitTrend } from './getHitTrend';
import { getHitBreakdown } from './getHitBreakdown';
import { getDevice } from './getDevice';
import { listDevices } from './listDevices';
import { getDataFreshness } from './getDataFreshness';

useTestDatabase();
const now = new Date('2026-11-20T12:00:00Z');
const viewer: Actor = { kind: 'user', id: 'v', label: 'v@example.test', role: 'viewer' };
const token: Actor = { kind: 'token', id: 't', label: 'ingest bot', role: null, scope: 'ingest' };
const filterOf = (query: string) => parseHitFilter(new URLSearchParams(query), now);
const one = async (sql: string, values: unknown[]) => (await getPool().query(sql, values)).rows[0];

beforeAll(async () => {
  await resetDatabase();
  await seedHits(900, now, 60);
  await getPool().query(
    // The seeded events made the device row (a dictionary entry, docs/architecture.md §4.6): describe it.
    `INSERT INTO device (device_id, device_name, os_platform) VALUES ('dev-1', 'host-1', 'Windows11')
     ON CONFLICT (device_id) DO UPDATE SET device_name = EXCLUDED.device_name, os_platform = EXCLUDED.os_platform`,
  );
  await getPool().query(`INSERT INTO device_info_record (ts, device_id, public_ip, report_id) VALUES
    ('2026-11-01T00:00:00Z', 'dev-1', '203.0.113.1', 'a'), ('2026-11-02T00:00:00Z', 'dev-1', '203.0.113.1', 'b'),
    ('2026-11-03T00:00:00Z', 'dev-1', '203.0.113.9', 'c'), ('2026-11-04T00:00:00Z', 'dev-1', '203.0.113.1', 'd')`);
});

describe('overview queries', () => {
  it('headline figures match SQL for the period and the previous one', async () => {
    const filter = filterOf('range=7d&direction=outbound');
    const headline = await getOverviewHeadline(viewer, filter);
    const count = (from: Date, to: Date) =>
      one(
        `SELECT count(*)::int AS hits, count(DISTINCT device_id)::int AS devices,
      count(DISTINCT process_file_name)::int AS processes, count(*) FILTER (WHERE confidence = 'high')::int AS "highConfidence",
      (SELECT count(DISTINCT f)::int FROM hit h2, unnest(h2.relay_fingerprints) f WHERE h2.evidence_valid AND h2.direction = 'outbound' AND h2.ts >= $1 AND h2.ts < $2) AS relays
      FROM hit WHERE evidence_valid AND direction = 'outbound' AND ts >= $1 AND ts < $2`,
        [from, to],
      );
    expect(headline.current).toEqual(await count(filter.range.from, now));
    expect(headline.previous).toEqual(await count(new Date(now.getTime() - 14 * 86_400_000), filter.range.from));
    expect(headline.current.hits).toBeGreaterThan(0);
    expect(headline.previous.hits).toBeGreaterThan(0);
  });

  it('the trend has every bucket and sums to the hit count', async () => {
    const filter = filterOf('range=30d');
    const trend = await getHitTrend(viewer, filter);
    expect(trend.bucket).toBe('day');
    expect(trend.points).toHaveLength(31);
    const total = trend.points.reduce((sum, p) => sum + p.hits, 0);
    expect(total).toBe(
      (
        await one(`SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND ts >= $1 AND ts < $2`, [
          filter.range.from,
          now,
        ])
      ).n,
    );
    expect(trend.points.every((p) => p.devices <= p.hits)).toBe(true);
    const hourly = await getHitTrend(viewer, filterOf('range=24h'));
    expect(hourly.bucket).toBe('hour');
    expect(hourly.points).toHaveLength(24); // now is on the hour: 12:00 yesterday … 11:00 today
  });

  it('breakdowns rank by hits and account for the rest', async () => {
    const filter = filterOf('range=90d');
    const total = (
      await one(`SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND ts >= $1 AND ts < $2`, [
        filter.range.from,
        now,
      ])
    ).n;
    for (const dimension of ['country', 'process', 'device', 'direction', 'action'] as const) {
      const breakdown = await getHitBreakdown(viewer, filter, dimension, 2);
      expect(breakdown.entries).toHaveLength(2);
      expect(breakdown.entries[0].hits).toBeGreaterThanOrEqual(breakdown.entries[1].hits);
      expect(breakdown.entries.reduce((s, e) => s + e.hits, 0) + breakdown.otherHits).toBe(total);
    }
    const countries = await getHitBreakdown(viewer, filter, 'country');
    expect(countries.entries.map((e) => e.key).sort()).toEqual(['-', 'de', 'fr', 'nl', 'us']);
    const processes = await getHitBreakdown(viewer, filter, 'process');
    expect(processes.entries.find((e) => e.key === '')?.label).toBe('(no process)');
  });

  it('refuses a token without the read scope', async () => {
    await expect(getHitTrend(token, filterOf(''))).rejects.toThrow(/Forbidden/);
    await expect(getHitTrend({ ...token, scope: 'read' }, filterOf(''))).resolves.toBeTruthy();
  });

  it('reports freshness without relay data or match runs', async () => {
    const freshness = await getDataFreshness(viewer);
    // Seeded events have device rows, as ingested ones always had (dev-0 … dev-6; §4.6 of docs/architecture.md).
    expect(freshness).toMatchObject({ relays: null, lastMatchRun: null, events: 900, devices: 7 });
  });

  it("shows the partitions' row estimate, not an exact count, once it is over 100,000 events", async () => {
    const pool = getPool();
    // Statistics as a large install's: every analysed month partition says 300,000 rows (the table holds 900).
    await pool.query('ANALYZE network_event');
    const { rowCount: months } = await pool.query(
      `UPDATE pg_class c SET reltuples = 300000 FROM pg_inherits i
       WHERE i.inhparent = 'network_event'::regclass AND c.oid = i.inhrelid AND c.reltuples > 0`,
    );
    try {
      expect(months).toBeGreaterThan(0);
      expect((await getDataFreshness(viewer)).events).toBe(300000 * months!);
    } finally {
      await pool.query('ANALYZE network_event');
    }
    expect((await getDataFreshness(viewer)).events).toBe(900);
  });
});

describe('device queries', () => {
  it('a device has its public IPs as runs over time and its hit summary', async () => {
    const device = await getDevice(viewer, 'dev-1');
    expect(device?.osPlatform).toBe('Windows11');
    expect(device?.publicIps.map((p) => [p.publicIp, p.records])).toEqual([
      ['203.0.113.1', 1],
      ['203.0.113.9', 1],
      ['203.0.113.1', 2],
    ]);
    expect(device?.hits.total).toBe(
      (await one(`SELECT count(*)::int AS n FROM hit WHERE device_id = 'dev-1' AND evidence_valid`, [])).n,
    );
    expect((await getDevice(viewer, 'dev-2'))?.deviceName).toBe('host-2'); // known only from hits
    expect(await getDevice(viewer, 'nobody')).toBeNull();
  });

  it('lists devices with hits, or by name', async () => {
    const devices = await listDevices(viewer, filterOf('range=90d').range);
    expect(devices.map((d) => d.deviceId).sort()).toEqual([
      'dev-0',
      'dev-1',
      'dev-2',
      'dev-3',
      'dev-4',
      'dev-5',
      'dev-6',
    ]);
    expect(devices[0].hits).toBeGreaterThanOrEqual(devices[1].hits);
    expect((await listDevices(viewer, filterOf('range=90d').range, 'HOST-1')).map((d) => d.deviceId)).toEqual([
      'dev-1',
    ]);
  });
});
