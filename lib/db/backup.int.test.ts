import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { exportHitRecords } from '@/lib/queries/exportHits';
import type { HitRecord } from '@/lib/queries/hitColumns';
import { getSecret } from '@/lib/secrets/secretStore';
import { useTestDatabase } from '../../tests/integration';
import { createTestDatabase, type TestDatabase } from '../../tests/testDatabase';
import { backupDatabase, readBackupManifest, restoreDatabase } from './backup';
import { applyMigrations } from './migrate';
import { closeDb } from './pool';
import { MIGRATIONS_DIR } from './prismaPaths';

// `torwatch db backup` / `db restore` (docs/architecture.md §17.1): a backup made by the previous release (0.1.0, the
// kql-parity vector ingested, matched, one sealed secret — tests/fixtures/backup/README.md) restores and migrates
// forward with the same answers; a backup is one snapshot even while batches commit; the embedded database is backed
// up while a serve holds it and restored when none does.
useTestDatabase();

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/backup/release-0.1.0-3c04e6c.twbackup');
const FIXTURE_KEY = 'dG9yd2F0Y2gtYmFja3VwLWZpeHR1cmUta2V5LTAwMDE='; // test-only, see the fixture's README
const PARITY = path.join(ROOT, 'tests/fixtures/kql-parity');
const dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-backup-'));
const databases: TestDatabase[] = [];
let testUrl = '';

async function freshDatabase(): Promise<string> {
  // Created (and later dropped) through the run's test database, whichever database the pool points at now.
  const current = process.env.DATABASE_URL;
  process.env.DATABASE_URL = testUrl;
  const db = await createTestDatabase('tw_backup').finally(() => (process.env.DATABASE_URL = current));
  databases.push(db);
  return db.url;
}

/** Points this process's pool at `url` (the export and store functions read DATABASE_URL). */
async function use(url: string): Promise<void> {
  await closeDb();
  process.env.DATABASE_URL = url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const instant = (iso: string) => iso.replace(/\.(\d{1,6})\d*Z$/, (_, f: string) => `.${f.padEnd(6, '0')}Z`);
const hitKeys = (rows: Array<Record<string, unknown>>) =>
  rows
    .map((r) => [instant(String(r.Timestamp)), r.DeviceId, r.RemoteIP, r.RemotePort, String(r.PortMatch)].join('|'))
    .sort();

beforeAll(() => {
  testUrl = process.env.DATABASE_URL!;
});
afterAll(async () => {
  await use(testUrl);
  for (const db of databases) await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a backup made by the previous release', () => {
  it('restores into an empty database, migrates forward, and gives the same hits and secrets', async () => {
    const manifest = await readBackupManifest(FIXTURE);
    const local = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const url = await freshDatabase();
    const result = await restoreDatabase(url, FIXTURE);
    expect(result.migratedForward).toEqual(local.filter((m) => m > manifest.migrations.at(-1)!));
    expect(result.rows).toMatchObject({ network_event: 3000, device_info_record: 117 });

    await use(url);
    const hits: HitRecord[] = [];
    await exportHitRecords(LOCAL_OPERATOR, {}, (batch) => void hits.push(...(batch as HitRecord[])));
    const expected = parse(readFileSync(path.join(PARITY, 'expected_hits.csv')), { columns: true, bom: true });
    expect(hitKeys(hits)).toEqual(hitKeys(expected as Record<string, string>[]));

    // The sealed secret opens with the key it was sealed with (kept with the backup), as the old key of the ring.
    process.env.TORWATCH_SECRET_KEY_PREVIOUS = FIXTURE_KEY;
    try {
      expect(await getSecret('backup-fixture:probe')).toBe('sealed before the backup');
    } finally {
      delete process.env.TORWATCH_SECRET_KEY_PREVIOUS;
    }
    // New rows continue after the restored ones (sequences restored).
    const [{ max, next }] = await query<{ max: string; next: string }>(
      url,
      `SELECT (SELECT max(id) FROM network_event)::text AS max, nextval('network_event_id_seq')::text AS next`,
    ).catch(() => [{ max: '0', next: '1' }]); // the id column may be gone after a forward migration
    expect(BigInt(next)).toBeGreaterThan(BigInt(max ?? '0'));
  }, 180_000);

  it('refuses a database that is not empty, a truncated file and a file that is not a backup', async () => {
    await expect(restoreDatabase(testUrl, FIXTURE)).rejects.toThrow(/not empty/);

    const whole = gunzipSync(readFileSync(FIXTURE));
    const truncated = path.join(dir, 'truncated.twbackup');
    writeFileSync(truncated, gzipSync(whole.subarray(0, Math.floor(whole.length * 0.6))));
    const url = await freshDatabase();
    await expect(restoreDatabase(url, truncated)).rejects.toThrow(/truncated/);
    const [{ n }] = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM network_event');
    expect(n).toBe(0); // nothing committed

    const notBackup = path.join(dir, 'notes.txt');
    writeFileSync(notBackup, 'hello\n');
    await expect(readBackupManifest(notBackup)).rejects.toThrow(/not a TorWatch backup/);
  }, 180_000);
});

describe('a backup while batches commit', () => {
  it('is one snapshot: every committed batch has exactly its events, none that came later', async () => {
    const source = await freshDatabase();
    await applyMigrations(source);
    await use(source);
    const events = path.join(PARITY, 'DeviceNetworkEvents.csv');
    const lines = readFileSync(events, 'utf8').split('\r\n');
    const part = (from: number, to: number) => [lines[0], ...lines.slice(from, to)].join('\r\n') + '\r\n';
    const ingest = (text: string, file: string) =>
      ingestFile(Readable.from([Buffer.from(text)]), { file, via: 'cli', queueMatch: false });
    expect(await ingest(part(1, 1001), 'first.csv')).toMatchObject({ status: 'committed', inserted: 1000 });

    // A batch commits after ingest_batch was read and before network_event is: a backup reading each table at its own
    // time would hold 1000 events more than its batches account for.
    const file = path.join(dir, 'during.twbackup');
    let committedDuring = 0;
    await backupDatabase(source, file, {
      afterTable: async (name) => {
        if (name !== 'ingest_batch') return;
        const summary = await ingest(part(1001, 2001), 'second.csv');
        committedDuring = summary.inserted;
      },
    });
    expect(committedDuring).toBe(1000);
    expect(await query(source, 'SELECT count(*)::int AS n FROM network_event')).toEqual([{ n: 2000 }]);

    const restored = await freshDatabase();
    await restoreDatabase(restored, file);
    const [counts] = await query<{ events: number; batches: number; claimed: number }>(
      restored,
      `SELECT (SELECT count(*) FROM network_event)::int AS events, (SELECT count(*) FROM ingest_batch)::int AS batches,
              (SELECT sum(events_inserted) FROM ingest_batch WHERE status = 'committed')::int AS claimed`,
    );
    expect(counts).toEqual({ events: 1000, batches: 1, claimed: 1000 });
  }, 180_000);
});

describe('torwatch db backup / restore on the embedded database', () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'torwatch-backup-embedded-'));
  const env = { ...process.env, TORWATCH_DATA_DIR: data, DATABASE_URL: '' };
  const torwatch = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/torwatch.mjs', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 170_000 });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('backs up while a serve holds the database, refuses to restore under it, restores when it is gone', async () => {
    let rowsInBackup = 0;
    const ingested = torwatch('ingest', path.join(PARITY, 'DeviceNetworkEvents.csv'));
    expect(ingested.status, ingested.stderr).toBe(0);

    const holder = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/holdEmbedded.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<string>((resolve, reject) => {
        holder.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const file = path.join(dir, 'embedded.twbackup');
      const backup = torwatch('db', 'backup', file);
      expect(backup.status, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/: \d+ tables, \d+ rows, \d+ bytes, schema \d+_\w+, PostgreSQL 18\./);
      rowsInBackup = Number(/ (\d+) rows/.exec(backup.stdout)![1]);
      expect(torwatch('db', 'backup', file)).toMatchObject({ status: 1, stderr: expect.stringMatching(/exists/) });

      const refused = torwatch('db', 'restore', file);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/in use by torwatch serve \(pid \d+\)/);
    } finally {
      holder.kill('SIGTERM');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The holder's postmaster is orphaned (it never stops it): adopt it and stop it as a serve would.
    const { openEmbeddedDatabase } = await import('./embedded');
    process.env.TORWATCH_DATA_DIR = data;
    try {
      await (await openEmbeddedDatabase('serve')).stop();
    } finally {
      delete process.env.TORWATCH_DATA_DIR;
    }

    copyFileSync(path.join(dir, 'embedded.twbackup'), path.join(dir, 'embedded-copy.twbackup'));
    expect(torwatch('ingest', path.join(PARITY, 'DeviceInfo.csv')).status).toBe(0); // changed after the backup
    const restored = torwatch('db', 'restore', path.join(dir, 'embedded-copy.twbackup'));
    expect(restored.status, restored.stderr).toBe(0);
    expect(rowsInBackup).toBeGreaterThan(3000); // the events, their batch, their devices
    expect(restored.stdout).toContain(`tables, ${rowsInBackup} rows`);
    const again = torwatch('db', 'backup', path.join(dir, 'after.twbackup'));
    expect(again.stdout).toContain(`tables, ${rowsInBackup} rows`); // DeviceInfo ingested after the backup is gone
  }, 300_000);
});
