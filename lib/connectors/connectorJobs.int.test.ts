import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
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
