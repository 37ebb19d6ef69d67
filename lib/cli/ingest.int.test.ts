import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { telemetryLines } from '../../scripts/gen-telemetry';
import { resetDatabase, useTestDatabase } from '../../tests/integration';

useTestDatabase();

const SAMPLE = '/work/shared/examples/kql-parity/DeviceNetworkEvents.csv';
let dir = '';

function torwatch(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/torwatch.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torwatch-ingest-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDatabase();
});

describe('torwatch ingest', () => {
  it('prints the reject lines and the summary line per file, exit 0 with rejects, 1 when a file is refused, 2 for usage', async () => {
    const bad = path.join(dir, 'bad.csv');
    await writeFile(
      bad,
      'Timestamp,DeviceId,RemoteIP,ReportId\r\n2026-01-01T00:00:00Z,d1,1.2.3.4,1\r\n2026-01-01T00:00:01Z,d1,1.2.3.999,2\r\n',
    );
    const ok = torwatch(['ingest', SAMPLE, bad]);
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual([
      `${SAMPLE}: read=3000 inserted=3000 duplicate=0 rejected=0`,
      expect.stringMatching(new RegExp(`^${bad}:3: RemoteIP: .*1\\.2\\.3\\.999`)),
      `${bad}: read=2 inserted=1 duplicate=0 rejected=1`,
    ]);

    const strict = torwatch(['ingest', '--strict', bad]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain(`${bad}: read=2 inserted=0 duplicate=0 rejected=1`);
    expect(strict.stderr).toMatch(/--strict: 1 row\(s\) rejected, nothing committed/);

    const missing = torwatch(['ingest', path.join(dir, 'nope.csv'), SAMPLE]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.csv: cannot read: no such file');
    expect(missing.stdout).toContain(`${SAMPLE}: read=3000 inserted=0 duplicate=3000 rejected=0`);

    const usage = torwatch(['ingest', '--source', 'splunk', SAMPLE]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: torwatch ingest');
  }, 240_000);

  it('loads a fresh file by direct COPY and the same file again through the staging table; TORWATCH_DEBUG says which', () => {
    const first = torwatch(['ingest', SAMPLE], { TORWATCH_DEBUG: '1' });
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe(`${SAMPLE}: read=3000 inserted=3000 duplicate=0 rejected=0`);
    expect(first.stderr).toContain(`torwatch ingest: ${SAMPLE}: loaded by direct COPY`);
    const again = torwatch(['ingest', SAMPLE], { TORWATCH_DEBUG: '1' });
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(`${SAMPLE}: read=3000 inserted=0 duplicate=3000 rejected=0`);
    expect(again.stderr).toMatch(
      /loaded through the staging table \(the direct COPY gave way: an event of the file is already stored/,
    );
    expect(torwatch(['ingest', SAMPLE]).stderr).not.toMatch(/loaded/);
  }, 240_000);

  it('a process killed mid-file leaves nothing of its batch; running it again completes the file', async () => {
    const file = path.join(dir, 'big.csv');
    const out = createWriteStream(file);
    for (const line of telemetryLines({ events: 60_000, format: 'defender-csv', seed: 'kill' })) {
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const child = spawn(process.execPath, ['bin/torwatch.mjs', 'ingest', file], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      stdio: 'ignore',
    });
    const pool = getPool();
    // Kill it while its batch is loading (the batch row exists, the direct COPY into network_event is under way).
    for (let waited = 0; ; waited += 100) {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY network_event%' AND state = 'active'`,
      );
      if (rows[0].n > 0) break;
      if (waited > 90_000) throw new Error('the ingest never started its COPY');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGKILL');
    await once(child, 'exit');

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await pool.query('SELECT count(*)::int AS n FROM network_event')).rows[0].n).toBe(0);
    const again = torwatch(['ingest', file]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('read=60000 inserted=60000 duplicate=0 rejected=0');
    const batches = await pool.query('SELECT status, error FROM ingest_batch ORDER BY id');
    expect(batches.rows.map((b) => b.status)).toEqual(['failed', 'committed']);
    expect(batches.rows[0].error).toMatch(/^interrupted/);
    // Once more: the direct COPY gives way at the first row, long before the end of the file, which is then read again.
    const third = torwatch(['ingest', file], { TORWATCH_DEBUG: '1' });
    expect(third.status).toBe(0);
    expect(third.stdout).toContain('read=60000 inserted=0 duplicate=60000 rejected=0');
    expect(third.stderr).toContain('loaded through the staging table');
  }, 300_000);
});
