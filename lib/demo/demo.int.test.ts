import { beforeAll, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { demoLoaded, loadDemo } from './loadDemo';
import { purgeDemo } from './purgeDemo';

useTestDatabase();
const count = async (sql: string) => (await getPool().query(sql)).rows[0].n as number;

beforeAll(async () => {
  await resetDatabase();
  // User data that must survive the purge.
  await getPool().query(
    `INSERT INTO ingest_batch (id, source, file_name, status, via) VALUES (900, 'defender-network-events', 'mine.csv', 'committed', 'upload')`,
  );
  await getPool().query(`INSERT INTO device (device_id, device_name) VALUES ('real-1', 'laptop-1')`);
  await getPool().query(
    `INSERT INTO network_event_wide (ts, device_id, direction, remote_ip, report_id, source, batch_id) VALUES (now(), 'real-1', 'outbound', '192.0.2.1', 'x', 'defender', 900)`,
  );
});

describe('the demo dataset', () => {
  it('loads labelled relays, devices and telemetry, and matches them', async () => {
    const summary = await loadDemo({ events: 8000, now: new Date() });
    expect(summary).toMatchObject({ relays: 240, devices: 200, events: 8000 });
    expect(summary.hits).toBeGreaterThan(50);
    expect(
      await count(`SELECT count(*)::int AS n FROM hit WHERE device_id NOT LIKE 'demo-%' AND device_id <> 'real-1'`),
    ).toBe(0);
    expect(
      await count(`SELECT count(DISTINCT process_file_name)::int AS n FROM hit WHERE device_id LIKE 'demo-%'`),
    ).toBe(3);
    expect(await count(`SELECT count(*)::int AS n FROM ingest_batch WHERE via = 'demo'`)).toBe(2);
    expect(
      await count(`SELECT count(*)::int AS n FROM hit WHERE ts < now() - interval '30 days' - interval '1 hour'`),
    ).toBe(0);
    expect(await demoLoaded()).toBe(true);
    await expect(loadDemo({ events: 10 })).rejects.toThrow(/already loaded/);
  });

  it('is removed in one step, leaving user data alone', async () => {
    const removed = await purgeDemo();
    expect(removed.events).toBe(8000);
    expect(await demoLoaded()).toBe(false);
    expect(await count(`SELECT count(*)::int AS n FROM device WHERE device_id LIKE 'demo-%'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM relay`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM relay_address`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM hit WHERE device_id LIKE 'demo-%'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM network_event WHERE batch_id = 900`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM device WHERE device_id = 'real-1'`)).toBe(1);
  });
});
