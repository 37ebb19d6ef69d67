import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { torwatch } from './__tests__/connectorHarness';
import { zeekJson } from './__tests__/zeekLines';
import { addConnector } from './addConnector';
import { connectorHealth } from './connectorHealth';
import { connectorRunJob, connectorsTickJob } from './connectorJobs';
import { findConnector } from './connectorStore';

useTestDatabase();

let dir = '';
beforeEach(async () => {
  await resetDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'torwatch-connector-jobs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('connector jobs', () => {
  it('runs a due connector, passes over one that is not due or paused, and reports its health', async () => {
    await writeFile(path.join(dir, 'conn.log'), zeekJson(0, 25));
    const c = await addConnector({ kind: 'zeek-folder', name: 'sensor', path: dir }, 'test');
    expect(await connectorRunJob({ id: c.id })).toMatchObject({ status: 'done', events: 25, inserted: 25 });
    expect(await connectorRunJob({ id: c.id })).toEqual({ skipped: 'not due' });
    expect(await connectorRunJob({ id: c.id, now: true })).toMatchObject({ status: 'done', events: 0 });
    await getPool().query('UPDATE connector SET paused = true WHERE id = $1', [c.id]);
    expect(await connectorRunJob({ id: c.id })).toEqual({ skipped: 'paused' });
    const [health] = await connectorHealth();
    expect(health).toMatchObject({ name: 'sensor', state: 'paused', eventsPerHour: 1, lastError: null });
    expect(health.lagSeconds).toBeGreaterThan(0);
  });

  it('an edited interval (torwatch connector interval) decides when it is due; bad values are refused', async () => {
    await writeFile(path.join(dir, 'conn.log'), zeekJson(0, 5));
    const c = await addConnector({ kind: 'zeek-folder', name: 'sensor', path: dir }, 'test');
    expect(await connectorRunJob({ id: c.id })).toMatchObject({ status: 'done' });
    // Last run 10 minutes ago: due at the default 5 minutes, not once the interval is 15.
    await getPool().query(`UPDATE connector SET last_run_at = now() - interval '10 minutes' WHERE id = $1`, [c.id]);
    const set = torwatch(['connector', 'interval', 'sensor', '15']);
    expect([set.status, set.stdout.trim(), set.stderr]).toEqual([0, 'sensor runs every 15 minutes', '']);
    expect((await findConnector(c.id))!.intervalMinutes).toBe(15);
    expect(await connectorRunJob({ id: c.id })).toEqual({ skipped: 'not due' });
    expect(torwatch(['connector', 'interval', 'sensor', '8']).status).toBe(0);
    expect(await connectorRunJob({ id: c.id })).toMatchObject({ status: 'done' });
    for (const bad of ['0', '1441', '2.5', 'ten', '-3']) {
      const refused = torwatch(['connector', 'interval', 'sensor', bad]);
      expect(refused.status, bad).toBe(2);
      expect(refused.stderr).toContain('the interval is a whole number of minutes from 1 to 1440');
    }
    expect(torwatch(['connector', 'interval', 'nobody', '10']).status).toBe(1);
    expect((await findConnector(c.id))!.intervalMinutes).toBe(8);
    const { rows } = await getPool().query(`SELECT details FROM audit_log WHERE action = 'connector.interval'`);
    expect(rows.map((r) => r.details)).toEqual([
      expect.objectContaining({ from: 5, to: 15 }),
      expect.objectContaining({ from: 15, to: 8 }),
    ]);
  });

  it('announces a stalled connector once through every enabled webhook, with its last error', async () => {
    const c = await addConnector({ kind: 'zeek-folder', name: 'gone', path: path.join(dir, 'nope') }, 'test');
    expect(await connectorRunJob({ id: c.id })).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('does not exist'),
    });
    await getPool().query(`UPDATE connector SET created_at = now() - interval '1 hour' WHERE id = $1`, [c.id]);
    await getPool().query(
      `INSERT INTO webhook (name, url, format, min_confidence, enabled) VALUES ('ops', 'http://127.0.0.1:9/hook', 'generic', 'high', true)`,
    );
    // No worker here: the tick's connector-run sends may fail; the announcement is what is checked.
    expect(await connectorsTickJob({})).toMatchObject({ stalled: 1 });
    expect(await connectorsTickJob({})).toMatchObject({ stalled: 0 });
    const { notifyStalled } = await import('./notifyStalled');
    expect(await notifyStalled((await findConnector(c.id))!)).toBe(0);
    const { rows } = await getPool().query(`SELECT payload FROM webhook_delivery`);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({
      event: 'torwatch.connector.stalled',
      connector: 'gone',
      lastError: expect.stringContaining('does not exist'),
    });
    expect((await connectorHealth())[0].state).toBe('stalled');
  });
});
