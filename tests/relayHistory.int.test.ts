import { spawn } from 'node:child_process';
import { cpSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { xz } from '@napi-rs/lzma';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { runMatchPipeline } from '@/lib/pipeline/runMatchPipeline';
import { exportHitRecords } from '@/lib/queries/exportHits';
import type { HitRecord } from '@/lib/queries/hitColumns';
import { startCollectorServer, type CollectorServer } from './collectorServer';
import { resetDatabase, useTestDatabase } from './integration';

// The relay-history test vector (a copy of ../shared/examples/relay-history): a month of CollecTor archives served
// from 127.0.0.1, telemetry, and the hits the engine must find — through `relays backfill` and through `relays
// import`, in any order, plus the bad inputs of issue 12.

const FIXTURE = path.join(import.meta.dirname, 'fixtures/relay-history');
const CONSENSUS_TAR = 'archive/relay-descriptors/consensuses/consensuses-2026-06.tar.xz';
const EXIT_TAR = 'archive/exit-lists/exit-list-2026-06.tar.xz';
const work = mkdtempSync(path.join(os.tmpdir(), 'torwatch-relay-history-'));

useTestDatabase();

function torwatch(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/torwatch.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const instant = (iso: string) => iso.replace(/\.(\d{1,6})\d*Z$/, (_, f: string) => `.${f.padEnd(6, '0')}Z`);

async function matchAndList(): Promise<HitRecord[]> {
  const summary = await ingestFile(createReadStream(path.join(FIXTURE, 'DeviceNetworkEvents.csv')), {
    file: 'DeviceNetworkEvents.csv',
    via: 'cli',
    queueMatch: false,
  });
  expect(summary).toMatchObject({ status: 'committed', rejected: 0 });
  await runMatchPipeline({ mode: 'incremental', trigger: 'test' });
  const rows: HitRecord[] = [];
  await exportHitRecords(LOCAL_OPERATOR, {}, (batch) => void rows.push(...(batch as HitRecord[])));
  return rows;
}

function expectTheAnswers(rows: HitRecord[]) {
  const expected = parse(readFileSync(path.join(FIXTURE, 'expected_hits.csv')), { columns: true }) as Record<
    string,
    string
  >[];
  const key = (r: Record<string, unknown>) => `${instant(String(r.Timestamp))}|${r.DeviceId}|${r.RemoteIP}`;
  expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
  expect(rows.length).toBe(expected.length);
}

async function intervals(): Promise<string[]> {
  const { rows } = await getPool().query<{ k: string }>(
    `SELECT concat_ws('|', fingerprint, host(ip), port, kind, evidence, valid_from, valid_to) AS k FROM relay_address ORDER BY 1`,
  );
  return rows.map((row) => row.k);
}

const count = async (table: string) => Number((await getPool().query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

let server: CollectorServer;
let backfilled: string[];

beforeAll(async () => {
  server = await startCollectorServer(path.join(FIXTURE, 'collector'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('relay history from CollecTor', { timeout: 240_000 }, () => {
  it('backfill from a loopback CollecTor gives exactly the expected hits, then skips the complete month', async () => {
    await resetDatabase();
    const first = await torwatch([
      'relays',
      'backfill',
      '--from',
      '2026-06',
      '--to',
      '2026-06',
      '--collector-url',
      server.url,
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/consensuses-2026-06\.tar\.xz: documents=714 consensuses=714 .*intervals_new=\d+/);
    expect(first.stdout).toMatch(/exit-list-2026-06\.tar\.xz: documents=238 consensuses=0 exit_lists=238/);
    expect(await count('relay_archive_month')).toBe(2);
    expect(await count('relay_consensus')).toBe(714);
    backfilled = await intervals();
    // Intervals, not one row per consensus entry.
    expect(backfilled.length).toBeLessThan(1000);

    const second = await torwatch([
      'relays',
      'backfill',
      '--from',
      '2026-06',
      '--to',
      '2026-06',
      '--collector-url',
      server.url,
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('skipped (already complete)');
    expect(await intervals()).toEqual(backfilled);

    const rows = await matchAndList();
    expectTheAnswers(rows);
    const evidence = new Set(rows.flatMap((row) => row.Evidence as string[]));
    expect([...evidence].sort()).toEqual(['consensus', 'exit-list']);
    // --compat is tied to relay-list snapshots: consensus and exit-list imports are none.
    expect(await count(`relay_snapshot WHERE lists_or`)).toBe(0);
  });

  it('relays import of the archives, in any order and twice, stores the same intervals and the same answers', async () => {
    await resetDatabase();
    const collector = path.join(FIXTURE, 'collector');
    const recent = await torwatch(['relays', 'import', path.join(collector, 'recent')]);
    expect(recent.code).toBe(0);
    expect(recent.stdout).toMatch(/recent: documents=24 consensuses=24 /);
    for (const file of [EXIT_TAR, CONSENSUS_TAR, CONSENSUS_TAR]) {
      const result = await torwatch(['relays', 'import', path.join(collector, file)]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        /documents=\d+ .* relays=\d+ addresses=\d+ intervals_new=\d+ intervals_extended=\d+ .*seconds=/,
      );
    }
    expect(await intervals()).toEqual(backfilled);
    expectTheAnswers(await matchAndList());
  });

  it('refuses a truncated archive whole, keeps the earlier history, and a re-run completes', async () => {
    await resetDatabase();
    const collector = path.join(FIXTURE, 'collector');
    expect((await torwatch(['relays', 'import', path.join(collector, 'recent')])).code).toBe(0);
    const before = await intervals();
    const truncated = path.join(work, 'consensuses-2026-06.tar.xz');
    const bytes = readFileSync(path.join(collector, CONSENSUS_TAR));
    writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
    const broken = await torwatch(['relays', 'import', truncated]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/consensuses-2026-06\.tar\.xz: .*(truncated|corrupt).*nothing of it was imported/);
    expect(await intervals()).toEqual(before);
    writeFileSync(truncated, bytes);
    expect((await torwatch(['relays', 'import', truncated])).code).toBe(0);
    expect((await intervals()).length).toBeGreaterThan(before.length);
  });

  it('skips HTML and unknown files in a tar, counts malformed r lines with file and line, refuses a consensus without valid-after', async () => {
    await resetDatabase();
    const dir = path.join(work, 'mixed');
    mkdirSync(path.join(dir, 'consensuses-2026-06/30'), { recursive: true });
    const recent = path.join(FIXTURE, 'collector/recent/relay-descriptors/consensuses');
    const good = readFileSync(path.join(recent, '2026-06-30-10-00-00-consensus'), 'latin1').split('\n');
    const rLines = good.map((line, i) => (line.startsWith('r ') ? i : -1)).filter((i) => i >= 0);
    const fields = (i: number) => good[i].split(' ');
    const edit = (i: number, at: number, value: string) => {
      const f = fields(i);
      f[at] = value;
      good[i] = f.join(' ');
    };
    edit(rLines[0], 2, 'not*base64'); // bad identity
    edit(rLines[1], 6, '10.0.0.300'); // bad address
    edit(rLines[2], 7, '99999'); // bad port
    writeFileSync(path.join(dir, 'consensuses-2026-06/30/2026-06-30-10-00-00-consensus'), good.join('\n'));
    const noValidAfter = readFileSync(path.join(recent, '2026-06-30-11-00-00-consensus'), 'latin1')
      .split('\n')
      .filter((line) => !line.startsWith('valid-after '))
      .join('\n');
    writeFileSync(path.join(dir, 'consensuses-2026-06/30/2026-06-30-11-00-00-consensus'), noValidAfter);
    writeFileSync(path.join(dir, 'consensuses-2026-06/index.html'), '<!DOCTYPE html><html><body>Moved</body></html>');
    writeFileSync(path.join(dir, 'consensuses-2026-06/README'), 'not a descriptor\n');
    const tarFile = path.join(work, 'mixed.tar');
    await new Promise((resolve, reject) =>
      spawn('tar', ['-cf', tarFile, '-C', dir, 'consensuses-2026-06']).on('close', (code) =>
        code === 0 ? resolve(null) : reject(new Error(`tar ${code}`)),
      ),
    );
    writeFileSync(`${tarFile}.xz`, xz.compressSync(readFileSync(tarFile)));
    for (const file of [tarFile, `${tarFile}.xz`]) {
      const result = await torwatch(['relays', 'import', file]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/documents=4 consensuses=1 exit_lists=0 skipped=2 broken=1 rejected=3 /);
      const name = 'consensuses-2026-06/30/2026-06-30-10-00-00-consensus';
      expect(result.stderr).toContain(`${file}:${name}:${rLines[0] + 1}: r: identity "not*base64" is not the base64`);
      expect(result.stderr).toContain(
        `${file}:${name}:${rLines[1] + 1}: r: address "10.0.0.300" is not an IPv4 address`,
      );
      expect(result.stderr).toContain(`${file}:${name}:${rLines[2] + 1}: r: port "99999" is not a port number`);
      expect(result.stderr).toContain(
        '2026-06-30-11-00-00-consensus: refused: no valid-after line before the first relay entry',
      );
    }
    // Only the good consensus hour; nothing from the refused one.
    const hours = await getPool().query(`SELECT valid_after FROM relay_consensus`);
    expect(hours.rows.map((r) => (r.valid_after as Date).toISOString())).toEqual(['2026-06-30T10:00:00.000Z']);
  });

  it('backfill: a month that 404s and a server that stalls fail with a reason, and a re-run completes', async () => {
    await resetDatabase();
    const root = path.join(work, 'mirror');
    cpSync(path.join(FIXTURE, 'collector'), root, { recursive: true });
    const stalling = await startCollectorServer(root, { stall: new Set([CONSENSUS_TAR]) });
    try {
      const stalled = await torwatch(
        ['relays', 'backfill', '--from', '2026-05', '--to', '2026-06', '--collector-url', stalling.url],
        { TORWATCH_COLLECTOR_STALL_SECONDS: '1' },
      );
      expect(stalled.code).toBe(1);
      expect(stalled.stderr).toContain('consensuses-2026-05.tar.xz: not found (HTTP 404)');
      expect(stalled.stderr).toMatch(/consensuses-2026-06\.tar\.xz: the server sent nothing for 1 s \(stalled\)/);
      expect(stalled.stdout).toMatch(/exit-list-2026-06\.tar\.xz: documents=238/);
      expect(await count(`relay_address WHERE evidence = 'consensus'`)).toBe(0);
      expect(await count('relay_archive_month')).toBe(1);
    } finally {
      await stalling.close();
    }
    // The mirror catches up: May appears (one consensus), June's archive is served whole.
    const may = readFileSync(
      path.join(root, 'recent/relay-descriptors/consensuses/2026-06-30-00-00-00-consensus'),
      'latin1',
    ).replace(/^valid-after .*$/m, 'valid-after 2026-05-31 23:00:00');
    const mayDir = path.join(work, 'may');
    mkdirSync(path.join(mayDir, 'consensuses-2026-05/31'), { recursive: true });
    writeFileSync(path.join(mayDir, 'consensuses-2026-05/31/2026-05-31-23-00-00-consensus'), may);
    await new Promise((resolve) =>
      spawn('tar', ['-cf', path.join(work, 'may.tar'), '-C', mayDir, 'consensuses-2026-05']).on('close', resolve),
    );
    writeFileSync(
      path.join(root, 'archive/relay-descriptors/consensuses/consensuses-2026-05.tar.xz'),
      xz.compressSync(readFileSync(path.join(work, 'may.tar'))),
    );
    const exitMay = path.join(root, 'archive/exit-lists/exit-list-2026-05.tar.xz');
    cpSync(path.join(root, EXIT_TAR), exitMay);
    const rerun = await torwatch([
      'relays',
      'backfill',
      '--from',
      '2026-05',
      '--to',
      '2026-06',
      '--collector-url',
      server.url.replace(/\d+$/, '') + (await serve(root)),
    ]);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('exit-list-2026-06.tar.xz: skipped (already complete)');
    expect(rerun.stdout).toMatch(/consensuses-2026-05\.tar\.xz: documents=1 consensuses=1 /);
    expect(await count('relay_archive_month')).toBe(4);
  });
});

const extraServers: CollectorServer[] = [];
afterAll(async () => {
  for (const extra of extraServers) await extra.close();
});

/** Serves another root; returns its port. */
async function serve(root: string): Promise<string> {
  const extra = await startCollectorServer(root);
  extraServers.push(extra);
  return extra.url.replace(/^.*:/, '');
}
