import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { fingerprintOf, torRelayCsv } from '../relays/__fixtures__/relayDocuments';

useTestDatabase();

const dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-relays-cli-'));
const A = fingerprintOf(0xa);
const many = (count: number) =>
  torRelayCsv(
    Array.from({ length: count }, (_, n) => ({
      nickname: n === 0 ? 'alpha' : `r${n}`,
      fingerprint: n === 0 ? A : fingerprintOf(n + 100),
      ip: `192.0.2.${n + 1}`,
      port: 9001,
      lastChanged: '3/1/2026 12:00:00 AM',
      country: 'nl',
    })),
  );

function torwatch(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/torwatch.mjs', 'relays', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), TORWATCH_MATCH_GRACE_HOURS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  await resetDatabase();
  writeFileSync(
    path.join(dir, 'relays.csv'),
    Buffer.concat([many(4), Buffer.from(`"bad","${A}","","192.0.2.300","9001","IPv4","","de","False",""\r\n`)]),
  );
  writeFileSync(path.join(dir, 'small.csv'), many(1));
});

// Each case spawns the real CLI several times (tsx start-up): generous time on a shared, loaded machine.
describe('torwatch relays', { timeout: 240_000 }, () => {
  it('imports a file, printing rejects and a summary', async () => {
    const result = await torwatch('import', path.join(dir, 'relays.csv'), '--observed-at', '2026-03-10T12:00:00Z');
    expect(result.stderr).toContain('relays.csv:6: IPAddress: "192.0.2.300" is not an IP address');
    expect(result.stdout).toMatch(
      /relays\.csv: imported snapshot 1 \(torrelayips-csv\): 4 relays, 4 addresses, 1 rejected; intervals 4 new, 0 extended/,
    );
    expect(result.code).toBe(0);
  });

  it('refuses an implausible list with exit 1 and a one-line reason, and --force imports it', async () => {
    const refused = await torwatch('import', path.join(dir, 'small.csv'), '--observed-at', '2026-03-11T12:00:00Z');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^torwatch relays: .*small\.csv: implausible: 1 relays, under half of the 4/);
    const forced = await torwatch(
      'import',
      path.join(dir, 'small.csv'),
      '--observed-at',
      '2026-03-11T12:00:00Z',
      '--force',
    );
    expect(forced.code).toBe(0);
  });

  it('answers a lookup: 0 with the relay when it was one then (grace included), 1 when not', async () => {
    const inside = await torwatch('lookup', '192.0.2.1', '--at', '2026-03-05T00:00:00Z');
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain(
      '192.0.2.1 was a Tor relay address at 2026-03-05T00:00:00.000000Z (relay lists widened by ±24 h, consensus history by ±1 h):',
    );
    expect(inside.stdout).toContain(
      `${A} alpha nl  or 192.0.2.1:9001  2026-03-01T00:00:00.000000Z – 2026-03-11T12:00:00.000000Z`,
    );
    const grace = await torwatch('lookup', '::ffff:192.0.2.1', '--at', '2026-02-28T01:00:00Z');
    expect(grace.code).toBe(0);
    expect(grace.stdout).toContain('(within grace)');
    const before = await torwatch('lookup', '192.0.2.1', '--at', '2026-02-20T00:00:00Z');
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('192.0.2.1 was not a Tor relay address at 2026-02-20T00:00:00.000000Z');
    expect(before.stdout).toContain('listed at other times:');
    expect((await torwatch('lookup', '198.51.100.1')).code).toBe(1);
  });

  it('fetches a named feed from its URL', async () => {
    const server = createServer((_req, res) => res.end(many(4)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { getPrisma } = await import('@/lib/db/client');
    await getPrisma().relayFeed.create({
      data: {
        name: 'local',
        format: 'torrelayips-csv',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      },
    });
    const result = await torwatch('fetch', 'local');
    server.close();
    expect(result.stdout).toMatch(/^local: imported snapshot \d+ \(torrelayips-csv\): 4 relays/);
    expect(result.code).toBe(0);
    const unknown = await torwatch('fetch', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /unknown relay feed "nope" \(configured: torrelayips, onionoo, bulk-exit-list, collector-recent, local\)/,
    );
  });

  it('exits 2 on usage errors and 1 on a missing file', async () => {
    expect((await torwatch('lookup', 'not-an-ip')).code).toBe(2);
    expect((await torwatch('import', 'x.csv', '--format', 'xml')).code).toBe(2);
    expect((await torwatch('lookup', '192.0.2.1', '--at', 'yesterday')).code).toBe(2);
    expect((await torwatch('frobnicate')).code).toBe(2);
    const missing = await torwatch('import', path.join(dir, 'missing.csv'));
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('missing.csv: no such file') });
  });
});
