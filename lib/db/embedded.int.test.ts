import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from './embedded';

// Embedded database lifecycle (docs/architecture.md §2.3): one owner per data directory, others attach, nobody stops
// a postmaster they did not start, and a postmaster orphaned by a crash is adopted by the next serve.
const dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-embedded-'));
let previous: string | undefined;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('embedded PostgreSQL', () => {
  beforeAll(() => {
    previous = process.env.TORWATCH_DATA_DIR;
    process.env.TORWATCH_DATA_DIR = dir;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.TORWATCH_DATA_DIR;
    else process.env.TORWATCH_DATA_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a second process attach without ever stopping the owner’s database', async () => {
    const owner = await openEmbeddedDatabase('command');
    expect(owner.owned).toBe(true);
    const second = await openEmbeddedDatabase('command');
    expect(second).toMatchObject({ owned: false, url: owner.url });
    await second.stop();
    expect(await reachable(owner.url)).toBe(true);
    await owner.stop();
    expect(await reachable(owner.url)).toBe(false);
  }, 120_000);

  it('keeps the data across restarts', async () => {
    const first = await openEmbeddedDatabase('serve');
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE IF NOT EXISTS kept (n int); INSERT INTO kept VALUES (42)');
    await client.end();
    await expect(openEmbeddedDatabase('serve')).resolves.toMatchObject({ owned: true }); // the same process may re-open
    await first.stop();
    const again = await openEmbeddedDatabase('serve');
    const check = new pg.Client({ connectionString: again.url });
    await check.connect();
    expect((await check.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    await check.end();
    await again.stop();
  }, 120_000);

  it('adopts a postmaster left behind by a crashed serve', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/holdEmbedded.ts'], {
      env: { ...process.env, TORWATCH_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    // A second serve is refused while that one lives.
    await expect(openEmbeddedDatabase('serve')).rejects.toThrow(/in use by another torwatch serve/);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await reachable(url)).toBe(true); // orphaned, still running

    const attached = await openEmbeddedDatabase('command');
    expect(attached.owned).toBe(false);
    await attached.stop();
    expect(await reachable(url)).toBe(true); // a command never stops what it did not start

    const adopter = await openEmbeddedDatabase('serve');
    expect(adopter).toMatchObject({ owned: true, url });
    expect(JSON.parse(readFileSync(path.join(dir, 'owner.json'), 'utf8')).pid).toBe(process.pid);
    await adopter.stop();
    expect(await reachable(url)).toBe(false);
  }, 180_000);
});
