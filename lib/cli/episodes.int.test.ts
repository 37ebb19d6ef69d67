import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';

useTestDatabase();

// `torwatch episodes` as a user runs it, in a machine zone far from UTC (NZDT is UTC+13 in March): a time without a
// zone must mean UTC, as it does for `torwatch hits` and every other command (lib/time/instant.ts).
function torwatchEpisodes(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/torwatch.mjs', 'episodes', '--format', 'json', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), TZ: 'Pacific/Auckland' },
    encoding: 'utf8',
  });
  return {
    code: result.status,
    stderr: result.stderr,
    ids: result.status === 0 ? (JSON.parse(result.stdout) as { DeviceId: string }[]).map((r) => r.DeviceId) : [],
  };
}

beforeAll(async () => {
  await resetDatabase();
  // Two episodes on 10 March 2026: one in the small hours (UTC), one in the afternoon.
  await getPool().query(`
    INSERT INTO episode (device_id, process_key, process_file_name, first_seen, last_seen, hit_count,
      relay_fingerprints, country_codes, ports)
    VALUES ('dev-morning', 'tor.exe', 'tor.exe', '2026-03-10T00:00:00Z', '2026-03-10T01:00:00Z', 1, '{}', '{}', '{}'),
           ('dev-afternoon', 'tor.exe', 'tor.exe', '2026-03-10T13:00:00Z', '2026-03-10T14:00:00Z', 1, '{}', '{}', '{}')`);
});

describe('torwatch episodes --from/--to', () => {
  it('reads a time without a zone as UTC', () => {
    expect(torwatchEpisodes('--from', '2026-03-10T12:00:00').ids).toEqual(['dev-afternoon']);
    expect(torwatchEpisodes('--to', '2026-03-10T12:00:00').ids).toEqual(['dev-morning']);
    expect(torwatchEpisodes('--from', '2026-03-10T12:00:00Z').ids).toEqual(['dev-afternoon']);
    expect(torwatchEpisodes('--from', '2026-03-10T12:00:00+13:00').ids).toEqual(['dev-morning', 'dev-afternoon']);
  });

  it('refuses a time that is not ISO 8601, naming the flag', () => {
    const result = torwatchEpisodes('--to', '10/03/2026');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to must be an ISO 8601 time such as 2026-03-10T12:00:00Z, got "10/03/2026"');
  });
});
