import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBoss } from 'pg-boss';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { applySchedule } from './applySchedule';
import { cronError, nextRuns } from './cronPreview';
import { registerSchedules } from './worker';

useTestDatabase();

beforeAll(async () => {
  await resetDatabase();
  // The schema and queues a running worker would have created.
  const boss = new PgBoss({
    connectionString: process.env.DATABASE_URL!,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => {});
  await boss.start();
  await boss.createQueue('relays-fetch-onionoo', { policy: 'stately' });
  await boss.stop({ graceful: false });
});

afterAll(async () => {
  await getPool().query('DELETE FROM pgboss.schedule');
  await getPool().query(`DELETE FROM setting WHERE key LIKE 'schedule.%'`);
});

const scheduled = async (name: string) =>
  (await getPool().query('SELECT cron FROM pgboss.schedule WHERE name = $1', [name])).rows[0]?.cron ?? null;

describe('schedules', () => {
  it('validates cron expressions with pg-boss and previews them in UTC', () => {
    expect(cronError('15 * * * *')).toBeNull();
    expect(cronError('61 * * * *')).toMatch(/expected range 0-59/);
    expect(cronError('every hour')).toMatch(/five fields/);
    expect(nextRuns('30 0,12 * * *', 2, new Date('2026-03-10T06:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-03-10T12:30:00.000Z',
      '2026-03-11T00:30:00.000Z',
    ]);
  });

  it('stores the override, applies it to pg-boss at once, and refuses an invalid one', async () => {
    expect(await applySchedule('relays-fetch-onionoo', '45 */2 * * *', 'admin@example.test')).toBe(true);
    expect(await scheduled('relays-fetch-onionoo')).toBe('45 */2 * * *');
    const setting = await getPool().query(
      `SELECT value, updated_by FROM setting WHERE key = 'schedule.relays-fetch-onionoo'`,
    );
    expect(setting.rows[0]).toEqual({ value: { cron: '45 */2 * * *' }, updated_by: 'admin@example.test' });
    await expect(applySchedule('relays-fetch-onionoo', '99 * * * *', null)).rejects.toThrow(
      '"99 * * * *" is not a valid cron expression',
    );
    await expect(applySchedule('nope', '* * * * *', null)).rejects.toThrow('unknown queue "nope"');
    expect(await scheduled('relays-fetch-onionoo')).toBe('45 */2 * * *');
    expect(await applySchedule('relays-fetch-onionoo', null, null)).toBe(true);
    expect(await scheduled('relays-fetch-onionoo')).toBeNull();
  });

  it('is what registerSchedules applies at the next start', async () => {
    await applySchedule('relays-fetch-onionoo', '5 * * * *', null);
    const boss = new PgBoss({
      connectionString: process.env.DATABASE_URL!,
      schema: 'pgboss',
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => {});
    await boss.start();
    await getPool().query('DELETE FROM pgboss.schedule');
    for (const name of [
      'match',
      'relays-fetch-torrelayips',
      'relays-fetch-bulk-exit-list',
      'relays-fetch-collector-recent',
      'relays-history-backfill',
      'webhook-deliver',
    ])
      await boss.createQueue(name);
    await registerSchedules(boss);
    await boss.stop({ graceful: false });
    expect(await scheduled('relays-fetch-onionoo')).toBe('5 * * * *');
    expect(await scheduled('relays-fetch-torrelayips')).toBe('30 0,12 * * *');
  });
});
