/**
 * npm run bench:ingest [-- --events 1000000 --keep]
 *
 * Generates N DeviceNetworkEvents rows (scripts/gen-telemetry.ts, the held-out data's shape) to a temporary file,
 * then on a fresh database of DATABASE_URL's server:
 *  1. `torwatch ingest <file>` as a child process: wall time from process start to exit, peak RSS, the loader used
 *     (a fresh database: the direct COPY, unless it gave way);
 *  2. bytes per event: the database's growth over that ingest (pg_database_size before and after, so everything
 *     written counts: event partitions, their indexes, dictionaries, devices, batch bookkeeping) ÷ rows, with a
 *     breakdown by relation;
 *  3. `psql \copy` of the same raw file into a table of text columns (one per CSV column, no index): PostgreSQL's
 *     own speed on the same bytes, measured in the same run, as the ratio's baseline.
 * Targets (issue 16): ratio ≥ 0.35 (goal 0.5), peak RSS < 400 MB, ≤ 150 bytes/event (goal 100).
 * Besides wall times it reports CPU seconds — of the torwatch process (GNU time) and of the PostgreSQL backends
 * serving it, read from /proc while it runs — which a shared, loaded machine does not skew the way it skews wall time.
 *
 * Over 250 lines: one benchmark, end to end (generate, load two ways, measure, clean up), read top to bottom.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { telemetryLines } from './gen-telemetry';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      keep: { type: 'boolean' },
    },
  });
  const events = Number(values.events);
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is created on it and dropped after)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torwatch-bench-ingest-'));
  const file = path.join(dir, 'DeviceNetworkEvents.csv');
  const dbName = `torwatch_bench_ingest_${process.pid}`;
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const benchUrl = url.toString();
  await admin(server, `DROP DATABASE IF EXISTS ${dbName}`);
  await admin(server, `CREATE DATABASE ${dbName}`);
  try {
    const t = performance.now();
    await writeLines(file, telemetryLines({ events, format: 'defender-csv', seed: 'bench' }));
    const size = (await stat(file)).size;
    log(`generated ${events.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(0)} MB in ${seconds(t)} s → ${file}`);

    await run(process.execPath, ['bin/torwatch.mjs', 'db', 'migrate'], { DATABASE_URL: benchUrl });
    const client = new pg.Client({ connectionString: benchUrl });
    await client.connect();
    const before = await databaseSize(client);
    const ingestCpu = watchBackendCpu(client);
    const ingest = await timedIngest(file, benchUrl);
    const ingestDbCpu = await ingestCpu.stop();
    log(`torwatch ingest: ${ingest.stdout.trim()}`);
    await client.query('CHECKPOINT');
    const after = await databaseSize(client);
    const rows = Number((await client.query('SELECT count(*) AS n FROM network_event')).rows[0].n);
    const breakdown = await relationSizes(client);

    const header = await firstLine(file);
    const columns = header.split(',').map((_, i) => `c${i} text`);
    await client.query(`CREATE TABLE bench_raw_copy (${columns.join(', ')})`);
    const copyCpu = watchBackendCpu(client);
    const tc = performance.now();
    await run(
      'psql',
      [
        benchUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `\\copy bench_raw_copy FROM '${file.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`,
      ],
      {},
    );
    const psqlSeconds = (performance.now() - tc) / 1000;
    const copyDbCpu = await copyCpu.stop();
    await client.end();

    const ingestRate = rows / ingest.seconds;
    const psqlRate = events / psqlSeconds;
    const perEvent = (after - before) / rows;
    console.log('');
    console.log(
      `rows                        ${rows.toLocaleString('en-US')} stored (${(size / 1e6).toFixed(0)} MB raw CSV)`,
    );
    console.log(
      `torwatch ingest             ${ingest.seconds.toFixed(1)} s  ${Math.round(ingestRate).toLocaleString('en-US')} rows/s (whole command: start, parse, COPY, devices, commit)`,
    );
    console.log(`loader                      ${ingest.loader}`);
    console.log(
      `psql \\copy (raw, text cols) ${psqlSeconds.toFixed(1)} s  ${Math.round(psqlRate).toLocaleString('en-US')} rows/s`,
    );
    console.log(`ratio                       ${(ingestRate / psqlRate).toFixed(2)}  (target ≥ 0.35, goal 0.5)`);
    console.log(
      `peak RSS of torwatch ingest ${ingest.peakRssMb.toFixed(0)} MB  (target < 400 MB; ${ingest.rssSource})`,
    );
    console.log(
      `CPU of torwatch ingest      ${ingest.cpuSeconds === null ? 'n/a' : `${ingest.cpuSeconds.toFixed(1)} s`} (the process) + ${ingestDbCpu.toFixed(1)} s (PostgreSQL backends)`,
    );
    console.log(`CPU of psql \\copy          ${copyDbCpu.toFixed(1)} s (PostgreSQL backend)`);
    console.log(
      `bytes/event                 ${perEvent.toFixed(1)}  (database growth ${((after - before) / 1e6).toFixed(1)} MB ÷ rows; target ≤ 150, goal 100)`,
    );
    const listed = breakdown.reduce((sum, r) => sum + r.bytes, 0);
    for (const r of [...breakdown, { what: 'the rest (catalog, batch rows…)', bytes: after - before - listed }])
      console.log(
        `  ${r.what.padEnd(26)}${(r.bytes / rows).toFixed(1).padStart(7)} B/event  ${(r.bytes / 1e6).toFixed(1)} MB`,
      );
  } finally {
    await admin(server, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Sums the CPU time (/proc/<pid>/stat utime + stime) of the client backends of the bench database other than
 * `client`'s own, polled every 50 ms from now until stop(): the PostgreSQL work of a command, whatever else the machine
 * is doing. A backend that starts and ends between two polls is missed (the commands here keep theirs open).
 */
function watchBackendCpu(client: pg.Client): { stop: () => Promise<number> } {
  const start = new Map<number, number>();
  const last = new Map<number, number>();
  let polling: Promise<void> = Promise.resolve();
  const poll = async () => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'
         AND pid <> pg_backend_pid()`,
    );
    for (const { pid } of rows) {
      const cpu = backendCpu(pid);
      if (cpu === null) continue;
      if (!start.has(pid)) start.set(pid, cpu);
      last.set(pid, cpu);
    }
  };
  const timer = setInterval(() => {
    polling = polling.then(poll).catch(() => undefined);
  }, 50);
  return {
    stop: async () => {
      clearInterval(timer);
      await polling;
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (start.get(pid) ?? cpu);
      return total;
    },
  };
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function backendCpu(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null; // not on this machine, or gone
  }
}

async function databaseSize(client: pg.Client): Promise<number> {
  return Number((await client.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
}

/** Where the bytes went: event heap and each index (all partitions together), then the other tables. */
async function relationSizes(client: pg.Client): Promise<{ what: string; bytes: number }[]> {
  const { rows } = await client.query<{ what: string; bytes: string }>(`
    WITH parts AS (SELECT inhrelid AS oid FROM pg_inherits WHERE inhparent = 'network_event'::regclass)
    SELECT 'network_event heap' AS what, sum(pg_table_size(oid)) AS bytes FROM parts
    UNION ALL
    SELECT 'index ' || pi.relname, sum(pg_relation_size(ci.oid))
    FROM parts JOIN pg_index x ON x.indrelid = parts.oid JOIN pg_class ci ON ci.oid = x.indexrelid
    JOIN pg_inherits ii ON ii.inhrelid = ci.oid JOIN pg_class pi ON pi.oid = ii.inhparent
    GROUP BY pi.relname
    UNION ALL
    SELECT 'dictionaries + device', sum(pg_total_relation_size(c.oid))
    FROM pg_class c WHERE c.relname IN ('device', 'process_image', 'process_command', 'action_type', 'device_name_dict', 'event_transport')
    UNION ALL
    SELECT 'connection_summary', COALESCE(sum(pg_total_relation_size(inhrelid)), 0)
    FROM pg_inherits WHERE inhparent = 'connection_summary'::regclass
    ORDER BY 2 DESC`);
  return rows.map((r) => ({ what: r.what, bytes: Number(r.bytes) }));
}

async function firstLine(file: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(file) });
  for await (const line of lines) {
    lines.close();
    return line.replace(/^\uFEFF/, '');
  }
  return '';
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

interface TimedIngest {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  rssSource: string;
  /** Which loader ran, as the command says on stderr with TORWATCH_DEBUG: `direct COPY` or `staging table (…)`. */
  loader: string;
  /** User + system CPU seconds of the command (GNU time), null without it. */
  cpuSeconds: number | null;
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
    const timeReport = readFileSync(report, 'utf8');
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeReport);
    const user = /User time \(seconds\): ([\d.]+)/.exec(timeReport);
    const system = /System time \(seconds\): ([\d.]+)/.exec(timeReport);
    return {
      seconds,
      peakRssMb: Number(kb?.[1] ?? 0) / 1024,
      stdout,
      rssSource: 'GNU time -v, maximum resident set size',
      loader,
      cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : null,
    };
  }
  return { seconds, peakRssMb: polled, stdout, rssSource: '/proc VmHWM', loader, cpuSeconds: null };
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
