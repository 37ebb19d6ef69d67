import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBundle, currentBundle, ROOT } from '../../bin/cliBundle.mjs';

// The CLI runs from a precompiled bundle (bin/cliBundle.mjs); these tests build one into a temporary cache.
let cache = '';
let entry = '';

beforeAll(async () => {
  cache = await mkdtemp(path.join(os.tmpdir(), 'torwatch-cli-bundle-'));
  entry = await buildBundle(cache);
}, 60_000);
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
});

function stamp(): { dir: string; inputs: Record<string, [number, number]> } {
  return JSON.parse(readFileSync(path.join(cache, 'current.json'), 'utf8'));
}

function withStamp(change: (current: ReturnType<typeof stamp>) => void, check: () => void): void {
  const original = readFileSync(path.join(cache, 'current.json'), 'utf8');
  const current = stamp();
  change(current);
  writeFileSync(path.join(cache, 'current.json'), JSON.stringify(current));
  try {
    check();
  } finally {
    writeFileSync(path.join(cache, 'current.json'), original);
  }
}

/** The bundle files a chunk can load: its static imports and, with `dynamic`, its import() calls, transitively. */
function closure(file: string, dynamic: boolean, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(path.join(cache, stamp().dir, file), 'utf8');
  for (const [, next] of text.matchAll(/^import [^;]*?from "\.\/([^"]+)";?$/gm)) closure(next, dynamic, seen);
  if (dynamic) for (const [, next] of text.matchAll(/import\("\.\/([^"]+)"\)/g)) closure(next, dynamic, seen);
  return seen;
}

describe('the CLI bundle', () => {
  it('is current right after a build and records the sources it was built from', () => {
    expect(currentBundle(cache)).toBe(entry);
    const inputs = Object.keys(stamp().inputs);
    expect(inputs).toEqual(
      expect.arrayContaining(['lib/cli/main.ts', 'lib/match/runMatch.ts', 'tsconfig.json', 'package.json']),
    );
    // Of the dependencies only the pg driver is inlined (it and its own dependencies are all `pg…`/`postgres-…`).
    const dependencies = inputs.filter((file) => file.startsWith('node_modules/')).map((file) => file.split('/')[1]);
    expect(dependencies).toContain('pg');
    expect(
      dependencies.filter((name) => !/^(pg|pg-[a-z0-9-]+|postgres-[a-z]+|pgpass|split2|xtend)$/.test(name)),
    ).toEqual([]);
  });

  it('is stale when a source changed size or time, or disappeared, or the build is gone', () => {
    withStamp(
      (current) => {
        current.inputs['lib/cli/main.ts'][0] += 1;
      },
      () => expect(currentBundle(cache)).toBeNull(),
    );
    withStamp(
      (current) => {
        current.inputs['lib/cli/main.ts'][1] -= 1000;
      },
      () => expect(currentBundle(cache)).toBeNull(),
    );
    withStamp(
      (current) => {
        current.inputs['lib/cli/removed.ts'] = [1, 1];
      },
      () => expect(currentBundle(cache)).toBeNull(),
    );
    withStamp(
      (current) => {
        current.dir = 'build-missing';
      },
      () => expect(currentBundle(cache)).toBeNull(),
    );
    expect(currentBundle(cache)).toBe(entry);
  });

  it('runs the commands', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const { main } = await import(entry);
      expect(await main(['--help'])).toBe(0);
      expect(log.mock.calls[0][0]).toMatch(/^usage: torwatch <command>/);
    } finally {
      log.mockRestore();
    }
  });

  it.each(['match', 'ingest'])(
    'keeps the Prisma client and pg-boss out of everything `torwatch %s` can load',
    (command) => {
      const dir = path.join(cache, stamp().dir);
      const chunk = readdirSync(dir).find((name) => new RegExp(`^${command}-[A-Z0-9]+\\.js$`).test(name));
      expect(chunk).toBeDefined();
      // main.js imports every command lazily, so only its static imports count; the command's whole graph does.
      const loaded = [...closure('main.js', false), ...closure(chunk!, true)];
      const text = loaded.map((file) => readFileSync(path.join(dir, file), 'utf8')).join('\n');
      expect(text).toMatch(/node_modules\/pg\/lib\/client\.js/); // the driver, inlined
      expect(text).not.toMatch(/from "@prisma\/client|from "pg-boss"/);
    },
  );
});

describe('bin/torwatch.mjs', () => {
  it.each([
    ['bundle', {}],
    ['sources through tsx', { TORWATCH_CLI: 'tsx' }],
  ])('runs from the %s', (_, env) => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/torwatch.mjs'), 'help'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: torwatch <command>/);
  });
});
