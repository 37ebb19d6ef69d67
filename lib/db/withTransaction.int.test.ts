import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { getPool } from './pool';
import { Rollback, withTransaction } from './withTransaction';

useTestDatabase();

beforeAll(async () => {
  await resetDatabase();
});

const settings = async (key: string) =>
  (await getPool().query('SELECT count(*)::int AS n FROM setting WHERE key = $1', [key])).rows[0].n as number;
const insert = (key: string) => (client: { query: (sql: string, values: unknown[]) => Promise<unknown> }) =>
  client.query(`INSERT INTO setting (key, value, updated_at) VALUES ($1, '{}', now())`, [key]);

describe('withTransaction', () => {
  it('commits what the work did and returns its value', async () => {
    expect(await withTransaction(async (client) => (await insert('tx.commit')(client), 'done'))).toBe('done');
    expect(await settings('tx.commit')).toBe(1);
  });

  it('rolls back and rethrows when the work throws', async () => {
    const failing = withTransaction(async (client) => {
      await insert('tx.throw')(client);
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await settings('tx.throw')).toBe(0);
  });

  it('rolls back when the work returns a Rollback, handing over its value', async () => {
    expect(await withTransaction(async (client) => (await insert('tx.rollback')(client), new Rollback(42)))).toBe(42);
    expect(await settings('tx.rollback')).toBe(0);
  });

  it('refuses writes in a read-only transaction, and gives pooled connections back', async () => {
    const idle = getPool().idleCount + getPool().waitingCount;
    await expect(withTransaction(insert('tx.ro'), { readOnly: true })).rejects.toThrow(/read-only/);
    expect(getPool().totalCount - getPool().idleCount).toBe(0);
    expect(getPool().idleCount).toBeGreaterThanOrEqual(idle);
  });
});
