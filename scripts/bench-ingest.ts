/**
 * npm run bench:ingest [-- --events 1000000 --keep]
 *
 * Generates N DeviceNetworkEvents rows (scripts/gen-telemetry.ts) to a temporary file, then on a fresh database of
 * DATABASE_URL's server times (1) `torwatch ingest <file>` as a child process, with its peak RSS and the loader it
 * used (a fresh database: the direct COPY, unless it gave way), and (2) `psql \copy`
 * of the same rows already normalised (written as CSV first) into a table of network_event's shape (LIKE … INCLUDING
 * ALL: same columns, defaults and indexes). Prints both rates, their ratio and the peak RSS. Targets: ratio ≥ 0.5,
 * peak RSS < 400 MB.
 *
 * Over 250 lines: one benchmark, end to end (generate, load two ways, measure, clean up), read top to bottom.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseTelemetry } from '@/lib/ingest/parseTelemetry';
import type { NetworkEventRecord } from '@/lib/ingest/types';
import { telemetryLines } from './gen-telemetry';

const COLUMNS = [
  'ts',
  'device_id',
  'device_name',
  'action_type',
  'direction',
  'remote_ip',
  'remote_port',
  'remote_url',
  'local_ip',
  'local_port',
  'protocol',
  'process_file_name',
  'process_folder_path',
  'process_sha256',
  'process_command_line',
  'process_account_name',
  'process_id',
  'report_id',
  'source',
  'batch_id',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { events: { type: 'string', default: '1000000' }, keep: { type: 'boolean' } },
  });
  const events = Number(values.events);
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is created on it and dropped after)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torwatch-bench-ingest-'));
  const file = path.join(dir, 'DeviceNetworkEvents.csv');
  const normalised = path.join(dir, 'normalised.csv');
  const dbName = `torwatch_bench_ingest_${process.pid}`;
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const benchUrl = url.toString();
  await admin(server, `DROP DATABASE IF EXISTS ${dbName}`);
  await admin(server, `CREATE DATABASE ${dbName}`);
  try {
    let t = performance.now();
    await writeLines(file, telemetryLines({ events, format: 'defender-csv', seed: 'bench' }));
    const size = (await stat(file)).size;
    log(`generated ${events.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(0)} MB in ${seconds(t)} s → ${file}`);

    t = performance.now();
    const rows = await writeNormalised(file, normalised);
    log(`normalised CSV for psql: ${rows.toLocaleString('en-US')} rows in ${seconds(t)} s`);

    await run(process.execPath, ['bin/torwatch.mjs', 'db', 'migrate'], { DATABASE_URL: benchUrl });
    const ingest = await timedIngest(file, benchUrl);
    log(`torwatch ingest: ${ingest.stdout.trim()}`);

    const client = new pg.Client({ connectionString: benchUrl });
    await client.connect();
    await client.query('CREATE TABLE bench_copy (LIKE network_event INCLUDING ALL)');
    await client.end();
    t = performance.now();
    await run(
      'psql',
      [
        benchUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `\\copy bench_copy (${COLUMNS.join(', ')}) FROM '${normalised.replaceAll("'", "''")}' WITH (FORMAT csv)`,
      ],
      {},
    );
    const psqlSeconds = (performance.now() - t) / 1000;

    const ingestRate = rows / ingest.seconds;
    const psqlRate = rows / psqlSeconds;
    console.log('');
    console.log(`rows                       ${rows.toLocaleString('en-US')} (${(size / 1e6).toFixed(0)} MB raw CSV)`);
    console.log(
      `torwatch ingest            ${ingest.seconds.toFixed(1)} s  ${Math.round(ingestRate).toLocaleString('en-US')} rows/s (whole command: start, parse, COPY, devices, commit)`,
    );
    console.log(`loader                     ${ingest.loader}`);
    console.log(
      `psql \\copy (normalised)    ${psqlSeconds.toFixed(1)} s  ${Math.round(psqlRate).toLocaleString('en-US')} rows/s`,
    );
    console.log(`ratio                      ${(ingestRate / psqlRate).toFixed(2)}  (target ≥ 0.5)`);
    console.log(
      `peak RSS of torwatch ingest ${ingest.peakRssMb.toFixed(0)} MB  (target < 400 MB; ${ingest.rssSource})`,
    );
  } finally {
    await admin(server, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let block = '';
  for (const line of lines) {
    block += line;
    if (block.length >= 1 << 20) {
      if (!out.write(block)) await once(out, 'drain');
      block = '';
    }
  }
  out.end(block);
  await once(out, 'finish');
}

/** The rows as TorWatch normalises them, as CSV in COLUMNS order (batch_id 1). */
async function writeNormalised(file: string, target: string): Promise<number> {
  const out = createWriteStream(target);
  let rows = 0;
  for await (const chunk of parseTelemetry(createReadStream(file), { file })) {
    if (chunk.rejects.length > 0) throw new Error(`generated data has rejects: ${JSON.stringify(chunk.rejects[0])}`);
    const text = chunk.events.map(csvRow).join('');
    rows += chunk.events.length;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

function csvRow(e: NetworkEventRecord): string {
  const cells = [
    e.ts,
    e.deviceId,
    e.deviceName,
    e.actionType,
    e.direction,
    e.remoteIp,
    e.remotePort,
    e.remoteUrl,
    e.localIp,
    e.localPort,
    e.protocol,
    e.processFileName,
    e.processFolderPath,
    e.processSha256,
    e.processCommandLine,
    e.processAccountName,
    e.processId,
    e.reportId,
    e.source,
    1,
  ];
  return `${cells.map((c) => (c === null ? '' : /[",\r\n]/.test(String(c)) || c === '' ? `"${String(c).replaceAll('"', '""')}"` : String(c))).join(',')}\n`;
}

interface TimedIngest {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  rssSource: string;
  /** Which loader ran, as the command says on stderr with TORWATCH_DEBUG: `direct COPY` or `staging table (…)`. */
  loader: string;
}

/**
 * Runs `torwatch ingest` and measures wall time and peak RSS (GNU time when installed, else /proc VmHWM polling).
 * TORWATCH_DEBUG makes it name the loader on stderr; the rest of its stderr is passed through.
 */
async function timedIngest(file: string, databaseUrl: string): Promise<TimedIngest> {
  const gnuTime = existsSync('/usr/bin/time');
  const report = `${file}.time`;
  const [command, args] = gnuTime
    ? ['/usr/bin/time', ['-v', '-o', report, process.execPath, 'bin/torwatch.mjs', 'ingest', file]]
    : [process.execPath, ['bin/torwatch.mjs', 'ingest', file]];
  const t = performance.now();
  let polled = 0;
  const child = spawn(command, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, TORWATCH_DEBUG: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) polled = Math.max(polled, Number(hwm[1]) / 1024);
    } catch {
      /* exited */
    }
  }, 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (piece: Buffer) => {
    stdout += piece;
  });
  child.stderr.on('data', (piece: Buffer) => {
    stderr += piece;
  });
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  const seconds = (performance.now() - t) / 1000;
  const loaded = /: loaded (?:by )?(.+)$/m.exec(stderr);
  process.stderr.write(stderr.replace(/^torwatch ingest: .*: loaded .*\n/m, ''));
  if (code !== 0) throw new Error(`torwatch ingest exited with ${code}: ${stdout}`);
  const loader = loaded?.[1] ?? 'not reported';
  if (gnuTime) {
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(report, 'utf8'));
    return {
      seconds,
      peakRssMb: Number(kb?.[1] ?? 0) / 1024,
      stdout,
      rssSource: 'GNU time -v, maximum resident set size',
      loader,
    };
  }
  return { seconds, peakRssMb: polled, stdout, rssSource: '/proc VmHWM', loader };
}

async function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${command} ${args[0]} exited with ${code}`);
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
  process.stderr.write(`bench:ingest: ${line}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench:ingest: ${error.message}\n`);
  process.exitCode = 1;
});
