import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { seedHits } from '@/lib/queries/__fixtures__/seedHits';
import { resetDatabase, useTestDatabase } from '../../tests/integration';

useTestDatabase();
const end = new Date('2026-03-11T00:00:00Z');

// `torwatch hits` as a user runs it, in a machine zone far from UTC: a time without a zone must still mean UTC, as
// it does for `relays --at` and everywhere else (it used to be read as the machine's local time).
function torwatchHits(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/torwatch.mjs', 'hits', '--format', 'json', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), TZ: 'Pacific/Auckland' },
    encoding: 'utf8',
  });
  return {
    code: result.status,
    rows: result.status === 0 ? (JSON.parse(result.stdout) as { Timestamp: string }[]) : [],
  };
}

beforeAll(async () => {
  await resetDatabase();
  await seedHits(90, end, 2);
});

describe('torwatch hits --from/--to', () => {
  it('reads a time without a zone as UTC', async () => {
    const { rows } = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND ts >= '2026-03-10T12:00:00Z'`,
    );
    const zoneless = torwatchHits('--from', '2026-03-10T12:00:00');
    expect(zoneless.code).toBe(0);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(zoneless.rows).toHaveLength(rows[0].n);
    expect(zoneless.rows.every((r) => r.Timestamp >= '2026-03-10T12:00:00')).toBe(true);
    expect(torwatchHits('--from', '2026-03-10T12:00:00Z').rows).toHaveLength(rows[0].n);
  });

  it('refuses a time that is not ISO 8601, naming the flag', () => {
    const result = spawnSync(process.execPath, ['bin/torwatch.mjs', 'hits', '--to', '10/03/2026'], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--to must be an ISO 8601 time such as 2026-03-10T12:00:00Z, got "10/03/2026"');
  });
});
