/**
 * npm run bench:connectors [-- --events 1000000 --blobs 24 --rounds 2]
 *
 * N Defender Streaming API records (DeviceNetworkEvents), written once as one local JSON-lines file and once into
 * Azurite as hourly append blobs (the layout Defender writes, appended in 4 MiB blocks). On two fresh databases of
 * DATABASE_URL's server, in the same run, it times (1) `torwatch ingest <file>` and (2) `torwatch connector run` of a
 * defender-storage connector reading the blobs — each a child process, with its peak RSS (GNU time -v). Prints both
 * rates and their ratio, per round (--rounds, default 2: file first, then connector first, each on emptied tables after
 * a CHECKPOINT) and their mean, with each side's CPU seconds (the connector's plus Azurite's). Targets: connector ≥
 * 0.7× the file ingest, peak RSS < 400 MB.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BlobServiceClient } from '@azure/storage-blob';
import pg from 'pg';
import { startAzurite } from '../lib/connectors/__tests__/azurite';
import { hourBlob, networkRecords } from '../lib/connectors/__tests__/defenderRecords';

const CONTAINER = 'insights-logs-advancedhunting-devicenetworkevents';
const BLOCK = 4 * 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      blobs: { type: 'string', default: '24' },
      rounds: { type: 'string', default: '2' },
    },
  });
  const events = Number(values.events);
  const blobs = Number(values.blobs);
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL to a PostgreSQL server (fresh databases are created and dropped)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torwatch-bench-connectors-'));
  const file_ = path.join(dir, 'defender-stream.json');
  const names = [`torwatch_bench_file_${process.pid}`, `torwatch_bench_conn_${process.pid}`];
  const urls = names.map((name) => {
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.toString();
  });
  const azurite = await startAzurite();
  try {
    for (const name of names) {
      await admin(server, `DROP DATABASE IF EXISTS ${name}`);
      await admin(server, `CREATE DATABASE ${name}`);
    }
    const t = performance.now();
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient(CONTAINER);
    await container.create();
    const out = createWriteStream(file_);
    const perBlob = Math.ceil(events / blobs);
    const start = Date.UTC(2026, 10, 29, 0);
    for (let b = 0; b < blobs; b++) {
      const from = b * perBlob;
      const count = Math.min(perBlob, events - from);
      if (count <= 0) break;
      const blob = container.getAppendBlobClient(hourBlob(new Date(start + b * 3_600_000)));
      await blob.create();
      // Generated and appended in slices, as Defender appends during the hour.
      for (let at = 0; at < count; at += 8000) {
        const text = Buffer.from(networkRecords(from + at, Math.min(8000, count - at), start));
        if (!out.write(text)) await once(out, 'drain');
        for (let o = 0; o < text.length; o += BLOCK) {
          const block = text.subarray(o, o + BLOCK);
          await blob.appendBlock(block, block.length);
        }
      }
    }
    out.end();
    await once(out, 'finish');
    const size = (await stat(file_)).size;
    log(
      `${events.toLocaleString('en-US')} records, ${(size / 1e6).toFixed(0)} MB, in ${blobs} blobs and one file (${seconds(t)} s)`,
    );

    for (const url of urls) await run(['db', 'migrate'], { DATABASE_URL: url });
    const add = await run(
      ['connector', 'add', 'defender-storage', '--name', 'bench', '--connection-string', azurite.connectionString],
      { DATABASE_URL: urls[1], TORWATCH_OUTBOUND_ALLOW: '127.0.0.1/32' },
    );
    if (add.code !== 0) throw new Error(`connector add failed: ${add.stderr}`);

    // Rounds in alternating order (file first, then connector first, …), each on emptied tables after a CHECKPOINT:
    // the run that comes second no longer pays for the first one's dirty pages and WAL, and the machine's load
    // (other processes on the same cores) falls on both sides alike.
    const rounds: { file: Timed; pull: Timed; azuriteCpu: number }[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      let file: Timed | null = null;
      let pull: Timed | null = null;
      let azuriteCpu = 0;
      for (const side of round % 2 === 0 ? ['file', 'pull'] : ['pull', 'file']) {
        const url = side === 'file' ? urls[0] : urls[1];
        await emptyTables(url);
        await admin(url, 'CHECKPOINT').catch(() => undefined);
        if (side === 'file') {
          file = await timed(['ingest', file_], { DATABASE_URL: url });
          log(`round ${round + 1} torwatch ingest: ${file.stdout.trim()}`);
        } else {
          const before = processCpuSeconds(azurite.pid);
          pull = await timed(['connector', 'run', 'bench'], {
            DATABASE_URL: url,
            TORWATCH_OUTBOUND_ALLOW: '127.0.0.1/32',
          });
          azuriteCpu = processCpuSeconds(azurite.pid) - before;
          log(`round ${round + 1} torwatch connector run: ${pull.stdout.trim()}`);
        }
      }
      const stored = await count(urls[1]);
      if (stored !== (await count(urls[0])) || stored !== events)
        throw new Error(`the connector stored ${stored} events, the file ingest another count`);
      rounds.push({ file: file!, pull: pull!, azuriteCpu });
    }

    console.log('');
    console.log(
      `records                        ${events.toLocaleString('en-US')} (${(size / 1e6).toFixed(0)} MB of Streaming API JSON, ${blobs} blobs)`,
    );
    const ratios: number[] = [];
    for (const [i, { file: ingest, pull, azuriteCpu }] of rounds.entries()) {
      const fileRate = events / ingest.seconds;
      const pullRate = events / pull.seconds;
      ratios.push(pullRate / fileRate);
      console.log(`round ${i + 1} (${i % 2 === 0 ? 'file first' : 'connector first'})`);
      console.log(
        `  torwatch ingest <file>       ${ingest.seconds.toFixed(1)} s  ${Math.round(fileRate).toLocaleString('en-US')} records/s  peak RSS ${ingest.rssMb.toFixed(0)} MB  CPU ${ingest.cpuSeconds.toFixed(1)} s`,
      );
      console.log(
        `  torwatch connector run       ${pull.seconds.toFixed(1)} s  ${Math.round(pullRate).toLocaleString('en-US')} records/s  peak RSS ${pull.rssMb.toFixed(0)} MB  CPU ${pull.cpuSeconds.toFixed(1)} s (+ Azurite ${azuriteCpu.toFixed(1)} s)`,
      );
      console.log(`  ratio connector / file       ${(pullRate / fileRate).toFixed(2)}`);
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    console.log(
      `ratio connector / file         ${mean.toFixed(2)} (mean of ${ratios.length} round(s); target ≥ 0.7; RSS target < 400 MB)`,
    );
    console.log(`load average (1 min) at the end ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    await azurite.stop();
    for (const name of names)
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

interface Timed {
  seconds: number;
  rssMb: number;
  /** User + system CPU of the process. */
  cpuSeconds: number;
  stdout: string;
}

/** `torwatch …` under GNU time: wall time and peak RSS. */
async function timed(args: string[], env: Record<string, string>): Promise<Timed> {
  const report = path.join(os.tmpdir(), `torwatch-bench-time-${process.pid}-${args[0]}`);
  const t = performance.now();
  const result = await spawned(
    '/usr/bin/time',
    ['-v', '-o', report, process.execPath, 'bin/torwatch.mjs', ...args],
    env,
  );
  const secondsTaken = (performance.now() - t) / 1000;
  if (result.code !== 0) throw new Error(`torwatch ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  const text = readFileSync(report, 'utf8');
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const cpu = ['User', 'System'].map((kind) =>
    Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? 0),
  );
  await rm(report, { force: true });
  return {
    seconds: secondsTaken,
    rssMb: Number(kb?.[1] ?? 0) / 1024,
    cpuSeconds: cpu[0] + cpu[1],
    stdout: result.stdout,
  };
}

function run(args: string[], env: Record<string, string>) {
  return spawned(process.execPath, ['bin/torwatch.mjs', ...args], env);
}

async function spawned(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (piece: Buffer) => (stdout += piece));
  child.stderr.on('data', (piece: Buffer) => (stderr += piece));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

async function count(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM network_event')).rows[0].n);
  } finally {
    await client.end();
  }
}

/** Every table emptied but the connector (and its sealed secret) and the migrations: a fresh start for a round. */
async function emptyTables(url: string): Promise<void> {
  await admin(
    url,
    `DO $$ BEGIN EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
       FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'connector', 'secret')); END $$`,
  );
}

/** user + system CPU seconds of a process so far (Linux /proc; 0 elsewhere). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function admin(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function log(line: string): void {
  process.stderr.write(`bench:connectors: ${line}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench:connectors: ${error.message}\n`);
  process.exitCode = 1;
});
