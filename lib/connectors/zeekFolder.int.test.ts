import { appendFile, mkdir, mkdtemp, readFile, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { connectorBatches, eventCount, runAndKill, runLine, torwatch } from './__tests__/connectorHarness';
import { zeekHeader, zeekJson, zeekTsv } from './__tests__/zeekLines';

useTestDatabase();

let dir = '';
beforeEach(async () => {
  await resetDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'torwatch-zeek-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function add(name = 'sensor'): void {
  const added = torwatch(['connector', 'add', 'zeek-folder', '--name', name, '--path', dir]);
  expect(added.stderr).toBe('');
  expect(added.status).toBe(0);
}

function run(name = 'sensor'): Record<string, string> {
  const result = torwatch(['connector', 'run', name]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return runLine(result.stdout, name);
}

describe('zeek-folder connector', () => {
  it('reads appended lines once, waits for a cut line, follows rotation (rename, then gzip), truncation and a rewrite', async () => {
    add();
    const live = path.join(dir, 'conn.log');
    await writeFile(live, zeekHeader('2026-11-30-10-00-00') + zeekTsv(0, 100));
    expect(run()).toMatchObject({ events: '100', inserted: '100', duplicate: '0', rejected: '0' });
    expect(run()).toMatchObject({ events: '0', inserted: '0' });

    // Appended in pieces, the last line cut in the middle.
    const next = zeekTsv(100, 51);
    await appendFile(live, next.slice(0, next.length - 20));
    expect(run()).toMatchObject({ inserted: '50', duplicate: '0' });
    await appendFile(live, next.slice(next.length - 20) + zeekTsv(151, 9));
    expect(run()).toMatchObject({ inserted: '10', duplicate: '0' });

    // Hourly rotation: the sensor writes a last few lines, renames the file and opens a new one.
    await appendFile(live, zeekTsv(160, 5) + '#close\t2026-11-30-11-00-00\n');
    const rotated = path.join(dir, 'conn.2026-11-30-10:00:00.log');
    await rename(live, rotated);
    await writeFile(live, zeekHeader('2026-11-30-11-00-00') + zeekTsv(1000, 20));
    expect(run()).toMatchObject({ inserted: '25', duplicate: '0' });

    // The rotated file compressed (a new inode) and the plain one removed: nothing new, nothing read twice.
    await writeFile(rotated + '.gz', gzipSync(await readFile(rotated)));
    await unlink(rotated);
    expect(run()).toMatchObject({ events: '0', inserted: '0', duplicate: '0' });

    // Truncated in place and written again from the start: the new lines are read.
    await truncate(live, 0);
    await writeFile(live, zeekHeader('2026-11-30-11-30-00') + zeekTsv(2000, 7));
    expect(run()).toMatchObject({ inserted: '7', duplicate: '0' });

    // Rewritten (same length, other content at the start): read again from its start.
    const text = await readFile(live, 'utf8');
    await writeFile(live, text.replace('2026-11-30-11-30-00', '2026-11-30-11-30-01'));
    expect(run()).toMatchObject({ events: '7', inserted: '0', duplicate: '7' });

    expect(await eventCount('zeek')).toBe(100 + 60 + 25 + 7);
  });

  it('reads JSON logs in dated folders, gzip included, and a restarted process carries on from the cursor', async () => {
    add();
    await mkdir(path.join(dir, '2026-11-29'));
    await writeFile(path.join(dir, '2026-11-29', 'conn.00:00:00-01:00:00.log.gz'), gzipSync(zeekJson(0, 300)));
    await writeFile(path.join(dir, 'conn.log'), zeekJson(300, 40));
    expect(run()).toMatchObject({ events: '340', inserted: '340' });
    await appendFile(path.join(dir, 'conn.log'), zeekJson(340, 3) + '{"ts":1700000999,"uid":"bad"}\n');
    expect(run()).toMatchObject({ events: '4', inserted: '3', rejected: '1' });
    expect(await eventCount('zeek')).toBe(343);
  });

  it('a reject in a later piece of a file names its line counted from the file start, header included', async () => {
    add();
    const live = path.join(dir, 'conn.log');
    const header = zeekHeader('2026-11-30-10-00-00');
    const headerLines = header.split('\n').length - 1;
    await writeFile(live, header + zeekTsv(0, 10));
    expect(run()).toMatchObject({ inserted: '10', rejected: '0' });
    await appendFile(live, zeekTsv(10, 3) + zeekTsv(13, 1, 'not-an-address') + zeekTsv(14, 2));
    expect(run()).toMatchObject({ inserted: '5', rejected: '1' });
    // A cursor written before cursors counted lines: the lines before the piece are counted from the file.
    await getPool().query(`UPDATE connector_cursor SET value = value - 'lines'`);
    await appendFile(live, zeekTsv(16, 1, 'not-an-address'));
    expect(run()).toMatchObject({ inserted: '0', rejected: '1' });
    const { rows } = await getPool().query<{ line: number }>('SELECT line FROM ingest_reject ORDER BY line');
    expect(rows.map((r) => r.line)).toEqual([headerLines + 14, headerLines + 17]);
  });

  it('prunes the cursors of files gone from the folder once they have not moved for a day; nothing is read again', async () => {
    add();
    const hours = 12;
    for (let h = 0; h < hours; h++)
      await writeFile(
        path.join(dir, `conn.2026-11-30-${String(h).padStart(2, '0')}:00:00.log.gz`),
        gzipSync(zeekHeader(`2026-11-30-${h}-00-00`) + zeekTsv(h * 100, 10)),
      );
    await writeFile(path.join(dir, 'conn.log'), zeekHeader('2026-11-30-12-00-00') + zeekTsv(5000, 10));
    expect(run()).toMatchObject({ inserted: String(hours * 10 + 10) });
    const cursors = async () =>
      (await getPool().query<{ n: number }>('SELECT count(*)::int AS n FROM connector_cursor')).rows[0].n;
    expect(await cursors()).toBe(hours + 1);

    // Zeek's log expiry removes the oldest files: their cursors stay while they are recent (a copy may appear)…
    for (let h = 0; h < 9; h++)
      await unlink(path.join(dir, `conn.2026-11-30-${String(h).padStart(2, '0')}:00:00.log.gz`));
    expect(run()).toMatchObject({ events: '0' });
    expect(await cursors()).toBe(hours + 1);
    // …and go once they have not moved for a day; the cursors of the files still there stay, however old.
    await getPool().query(`UPDATE connector_cursor SET updated_at = now() - interval '25 hours'`);
    expect(run()).toMatchObject({ events: '0', inserted: '0', duplicate: '0' });
    expect(await cursors()).toBe(hours - 9 + 1);
    await appendFile(path.join(dir, 'conn.log'), zeekTsv(5010, 3));
    expect(run()).toMatchObject({ events: '3', inserted: '3', duplicate: '0' });
    expect(await eventCount('zeek')).toBe(hours * 10 + 13);
  });

  it('names a missing folder in one error line and exits 1', async () => {
    add();
    await rm(dir, { recursive: true });
    const result = torwatch(['connector', 'run', 'sensor']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`folder ${dir} does not exist`);
    const list = torwatch(['connector', 'list']);
    expect(list.stdout).toMatch(/^sensor\tzeek-folder\tfailing\t.*error=folder .* does not exist/m);
  });

  describe('exactly once under kill -9', () => {
    const FILES = 4;
    const PER_FILE = 5000;
    async function fill(): Promise<void> {
      for (let f = 0; f < FILES; f++)
        await writeFile(
          path.join(dir, `conn.2026-11-30-0${f}:00:00.log`),
          zeekHeader(`2026-11-30-0${f}-00-00`) + zeekTsv(f * PER_FILE, PER_FILE),
        );
    }

    for (const point of [
      'before-batch@2',
      'mid-copy@2',
      'mid-copy@7',
      'before-commit@1',
      'before-commit@3',
      'after-commit@2',
    ])
      it(`crashed at ${point}, the next run neither loses nor doubles an event`, async () => {
        add();
        await fill();
        const crashed = torwatch(['connector', 'run', 'sensor'], { TORWATCH_TEST_CRASH: point });
        expect(crashed.signal).toBe('SIGKILL');
        expect(run()).toMatchObject({ duplicate: '0', rejected: '0' });
        expect(await eventCount('zeek')).toBe(FILES * PER_FILE);
        expect(await connectorBatches('sensor')).toMatchObject({ inserted: FILES * PER_FILE, duplicate: 0 });
      });

    it('killed at random times, runs until one completes: every event stored once, none read twice', async () => {
      add();
      await fill();
      let attempts = 0;
      for (;;) {
        const result = await runAndKill('sensor', 300 + Math.floor(Math.random() * 2500));
        attempts++;
        if (result.status === 0) break;
        expect(result.signal).toBe('SIGKILL');
        expect(attempts).toBeLessThan(30);
      }
      expect(await eventCount('zeek')).toBe(FILES * PER_FILE);
      expect(await connectorBatches('sensor')).toMatchObject({ inserted: FILES * PER_FILE, duplicate: 0 });
    });
  });
});
