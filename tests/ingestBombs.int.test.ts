import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '@/lib/auth/apiTokens';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from './integration';

// Issue 14, "An ingest token can exhaust memory or disk": the classic bombs against a server process of its own
// (TorWatch's real route handlers behind node:http, tests/fixtures/ingestServer), whose peak RSS is read from
// /proc/<pid>/status (VmHWM). Every bomb is generated as it is sent, never held whole; /api/health is polled all along.

useTestDatabase();

const MiB = 1024 * 1024;
const RSS_LIMIT_MB = 600;
let server: ChildProcess;
let base = '';
let ingestToken = '';
let relaysToken = '';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs a streamed body and resolves with the answer, which may come before the body is sent (the point of a cap). */
function post(
  path: string,
  body: AsyncIterable<Buffer> | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/octet-stream', ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        source.destroy();
        req.destroy();
      });
    });
    req.on('error', (error) => {
      // EPIPE/ECONNRESET while still sending: the server answered early and closed. The answer may still be on its
      // way; only without one is it a failure.
      setTimeout(() => reject(error), 2000);
    });
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : Readable.from(body);
    source.on('error', () => {});
    source.pipe(req);
  });
}

async function health(): Promise<number> {
  const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}

function peakRssMb(): number {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Polls /api/health every 100 ms while `work` runs; returns the statuses and the slowest answer. */
async function whilePollingHealth<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statuses: number[]; slowestMs: number }> {
  const statuses: number[] = [];
  let slowestMs = 0;
  let running = true;
  const poller = (async () => {
    while (running) {
      const started = performance.now();
      statuses.push(await health().catch(() => 0));
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return { result: await work(), statuses, slowestMs };
  } finally {
    running = false;
    await poller;
  }
}

const HEADER = 'Timestamp,DeviceId,RemoteIP,RemotePort\n';
const ROW = '2026-11-30T10:00:00Z,wks-1,93.184.215.14,443\n';

/** 64 MiB of blank lines as one gzip member (~64 KB), made once before the clock starts. */
let blankMember: Buffer;

/** A gzip of concatenated members: a CSV header, then `members` × 64 MiB of blank lines. */
async function* gzipBomb(members: number): AsyncGenerator<Buffer> {
  yield gzipSync(HEADER + ROW);
  for (let i = 0; i < members; i++) yield blankMember;
}

/** A header, one row, then one line of `size` bytes, generated 1 MiB at a time. */
async function* longLine(size: number): AsyncGenerator<Buffer> {
  yield Buffer.from(HEADER + ROW);
  const piece = Buffer.alloc(MiB, 'x');
  for (let sent = 0; sent < size; sent += MiB) yield piece;
  yield Buffer.from('\n');
}

async function batches() {
  return (
    await getPool().query<{ status: string; error: string | null }>(
      'SELECT status, error FROM ingest_batch ORDER BY id',
    )
  ).rows;
}

describe('ingest limits against a running server', () => {
  beforeAll(async () => {
    await resetDatabase();
    blankMember = gzipSync(Buffer.alloc(64 * MiB, '\n'), { level: constants.Z_BEST_COMPRESSION });
    ingestToken = (await createApiToken({ name: 'bomber', scope: 'ingest' })).secret;
    relaysToken = (await createApiToken({ name: 'mirror', scope: 'relays' })).secret;
    server = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=react-server', 'tests/fixtures/ingestServer/server.ts'],
      {
        env: { ...process.env, TORWATCH_MAX_CONCURRENT_INGESTS: '2', NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    base = await new Promise<string>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`test server exited (${code})`)));
      server.stdout!.on('data', (chunk: Buffer) => {
        const port = /listening (\d+)/.exec(chunk.toString())?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
    });
    expect(await health()).toBe(200);
  }, 120_000);
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('refuses a gzip bomb (20 GiB from ~20 MB of concatenated members) by its inflation ratio, with 413', async () => {
    expect(blankMember.length * 320).toBeLessThan(25 * MiB);
    const { result, statuses } = await whilePollingHealth(() => post('/api/v1/ingest?file=bomb.csv.gz', gzipBomb(320)));
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error).toMatch(
      /more than 100× its compressed size \(TORWATCH_MAX_INFLATION_RATIO\)/,
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await batches()).at(-1)?.status).toBe('refused');
    expect(Number((await getPool().query('SELECT count(*) AS n FROM network_event')).rows[0].n)).toBe(0);
  });

  it('refuses a 3,000-column header with 422', async () => {
    const header = ['Timestamp', 'DeviceId', 'RemoteIP', ...Array.from({ length: 2997 }, (_, n) => `Column${n}`)];
    const result = await post('/api/v1/ingest?file=wide.csv', Buffer.from(`${header.join(',')}\n`));
    expect(result.status).toBe(422);
    expect(JSON.parse(result.body).error).toMatch(/the header has 3000 columns, more than 512/);
  });

  it('refuses a 500 MB line at the first MiB past the record cap, with 413, without reading the rest', async () => {
    const started = performance.now();
    const { result, statuses } = await whilePollingHealth(() =>
      post('/api/v1/ingest?file=line.csv', longLine(500 * MiB)),
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error).toBe(
      'line.csv:3: a record longer than 1 MiB (TORWATCH_MAX_RECORD_BYTES); nothing was committed',
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('answers 429 with Retry-After past TORWATCH_MAX_CONCURRENT_INGESTS, and serves again once a slot frees', async () => {
    // Two uploads that hold their slot: a header, then nothing until released.
    const releases: Array<() => void> = [];
    const held = (n: number) =>
      post(
        `/api/v1/ingest?file=slow${n}.csv`,
        (async function* () {
          yield Buffer.from(HEADER + ROW);
          await new Promise<void>((resolve) => releases.push(resolve));
        })(),
      );
    const first = held(1);
    const second = held(2);
    await new Promise((r) => setTimeout(r, 1000));
    const third = await post('/api/v1/ingest?file=third.csv', Buffer.from(HEADER + ROW));
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('30');
    expect(await health()).toBe(200);
    releases.forEach((release) => release());
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await post('/api/v1/ingest?file=fourth.csv', Buffer.from(HEADER + ROW))).status).toBe(200);
  });

  it('refuses a relay upload bomb with 413 as it streams; an ingest token may not import relays at all', async () => {
    const bomb = async function* () {
      for (let i = 0; i < 320; i++) yield blankMember;
    };
    const refused = await post('/api/v1/relays/import?file=exits.gz', bomb());
    expect(refused.status).toBe(403); // the ingest token
    const { result, statuses } = await whilePollingHealth(() =>
      post('/api/v1/relays/import?file=exits.gz', bomb(), { authorization: `Bearer ${relaysToken}` }),
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error).toMatch(/exits\.gz: (decompresses to more than 100×|larger than the 200 MB)/);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it(`kept the server under ${RSS_LIMIT_MB} MB of peak RSS through all of it`, async () => {
    expect(await health()).toBe(200);
    const peak = peakRssMb();
    console.log(`ingest bombs: peak RSS of the server ${peak.toFixed(0)} MB`);
    expect(peak).toBeLessThan(RSS_LIMIT_MB);
  });
});
