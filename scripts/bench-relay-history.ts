/**
 * npm run bench:relay-history [-- --consensuses 744 --relays 7500 --regenerate]
 *
 * Generates a realistic month of consensuses in CollecTor's archive format (bench-data/consensuses-bench.tar.xz:
 * 744 hourly consensuses × 7,500 relays with churn, a quarter with IPv6 `a` lines, address changes, ~2 GB of text,
 * compressed with the system `xz -1 -T2`; kept and reused), then in the same run times
 *   (1) the baseline: `xz -dc archive | wc -c` — the cost of just reading it;
 *   (2) `torwatch relays import archive` into a fresh database of DATABASE_URL's server, as a child process (GNU time
 *       for its peak RSS);
 * and prints the ratio, seconds, peak RSS and the interval rows added. Targets: ratio ≤ 3, < 120 s, RSS < 500 MB.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const DIR = path.join(import.meta.dirname, '..', 'bench-data');

function header(name: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(size.toString(8).padStart(11, '0') + '\0', 124);
  block.write(
    Math.floor(mtime / 1000)
      .toString(8)
      .padStart(11, '0') + '\0',
    136,
  );
  block.write('        ', 148);
  block.write('0', 156);
  block.write('ustar\u000000', 257);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return block;
}

/** A deterministic pseudo-random source (mulberry32). */
function random(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BenchRelay {
  nickname: string;
  identity: string;
  digest: string;
  ip: string;
  port: number;
  ipv6: string | null;
  flags: string;
  up: boolean;
}

async function generate(file: string, consensuses: number, relayCount: number): Promise<void> {
  const rand = random(2026);
  const b64 = (bytes: number) =>
    Buffer.from(Array.from({ length: bytes }, () => Math.floor(rand() * 256)))
      .toString('base64')
      .replace(/=+$/, '');
  const ipv4 = () =>
    `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
  const ipv6 = () =>
    `2a0${Math.floor(rand() * 9)}:${Math.floor(rand() * 65535).toString(16)}:${Math.floor(rand() * 65535).toString(16)}::${Math.floor(rand() * 65535).toString(16)}`;
  const FLAGS = [
    'Fast Running Stable Valid',
    'Fast Guard Running Stable V2Dir Valid',
    'Exit Fast Running Stable Valid',
    'Fast HSDir Running Stable V2Dir Valid',
  ];
  const relays: BenchRelay[] = Array.from({ length: Math.round(relayCount * 1.15) }, (_, n) => ({
    nickname: `bench${n}`,
    identity: b64(20),
    digest: b64(20),
    ip: ipv4(),
    port: [9001, 443, 8443, 9000][n % 4],
    ipv6: rand() < 0.25 ? ipv6() : null,
    flags: FLAGS[Math.floor(rand() * FLAGS.length)],
    up: n < relayCount,
  }));
  const xz = spawn('xz', ['-1', '-T2', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out = (await import('node:fs')).createWriteStream(`${file}.part`);
  xz.stdout.pipe(out);
  const write = async (chunk: Buffer) => {
    if (!xz.stdin.write(chunk)) await once(xz.stdin, 'drain');
  };
  const start = Date.UTC(2026, 4, 1);
  for (let hour = 0; hour < consensuses; hour++) {
    // churn: ~0.4% leave and ~0.4% (re)join each hour; ~0.05% change their IPv4 address
    for (const relay of relays) {
      const r = rand();
      if (relay.up && r < 0.004) relay.up = false;
      else if (!relay.up && r < 0.03) relay.up = true;
      if (rand() < 0.0005) relay.ip = ipv4();
    }
    const time = new Date(start + hour * 3_600_000);
    const stamp = time.toISOString().slice(0, 19).replace('T', ' ');
    const next = (h: number) => new Date(time.getTime() + h * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const lines = [
      '@type network-status-consensus-3 1.0',
      'network-status-version 3',
      'vote-status consensus',
      'consensus-method 34',
      `valid-after ${stamp}`,
      `fresh-until ${next(1)}`,
      `valid-until ${next(3)}`,
      'voting-delay 300 300',
      'known-flags Authority BadExit Exit Fast Guard HSDir MiddleOnly Running Stable StaleDesc Sybil V2Dir Valid',
    ];
    for (const relay of relays) {
      if (!relay.up) continue;
      lines.push(`r ${relay.nickname} ${relay.identity} ${relay.digest} ${next(-12)} ${relay.ip} ${relay.port} 0`);
      if (relay.ipv6) lines.push(`a [${relay.ipv6}]:${relay.port}`);
      lines.push(
        `s ${relay.flags}`,
        'v Tor 0.4.8.12',
        'pr Conflux=1 Cons=1-2 Desc=1-2 DirCache=2 FlowCtrl=1-2 HSDir=2 HSIntro=4-5 HSRend=1-2 Link=1-5 LinkAuth=1,3 Microdesc=1-2 Padding=2 Relay=1-4',
        `w Bandwidth=${Math.floor(rand() * 90000)}`,
        relay.flags.startsWith('Exit') ? 'p accept 80,443' : 'p reject 1-65535',
      );
    }
    lines.push(
      'directory-footer',
      'bandwidth-weights Wbd=0 Wbe=0',
      'directory-signature sha256 0 0',
      '-----BEGIN SIGNATURE-----',
      'AAAA',
      '-----END SIGNATURE-----',
      '',
    );
    const body = Buffer.from(lines.join('\n'), 'latin1');
    const month = time.toISOString().slice(0, 7);
    const name = `consensuses-${month}/${time.toISOString().slice(8, 10)}/${time.toISOString().slice(0, 19).replace(/[T:]/g, '-')}-consensus`;
    await write(header(name, body.length, time.getTime()));
    await write(body);
    await write(Buffer.alloc((512 - (body.length % 512)) % 512));
    if (hour % 100 === 0) process.stderr.write(`  generated ${hour}/${consensuses} consensuses\n`);
  }
  await write(Buffer.alloc(1024));
  xz.stdin.end();
  await once(out, 'close');
  renameSync(`${file}.part`, file);
}

async function timed(command: string, args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'RSSKB=%M', command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'close');
  const seconds = (performance.now() - started) / 1000;
  const rss = Number(/RSSKB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`);
  return { seconds, rssMb: rss, stdout, stderr };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      consensuses: { type: 'string', default: '744' },
      relays: { type: 'string', default: '7500' },
      regenerate: { type: 'boolean' },
    },
  });
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is created on it and dropped after)');
  mkdirSync(DIR, { recursive: true });
  const consensuses = Number(values.consensuses);
  const relays = Number(values.relays);
  const file = path.join(DIR, `consensuses-bench-${consensuses}x${relays}.tar.xz`);
  if (values.regenerate || !existsSync(file)) {
    const started = performance.now();
    console.log(`generating ${file} (${consensuses} consensuses × ${relays} relays)…`);
    await generate(file, consensuses, relays);
    console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  const baseline = await timed('sh', ['-c', `xz -dc '${file}' | wc -c`]);
  const textBytes = Number(baseline.stdout.trim());

  const dbName = `torwatch_bench_relay_history_${process.pid}`;
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  try {
    await timed(process.execPath, ['bin/torwatch.mjs', 'db', 'migrate'], { DATABASE_URL: url.toString() });
    const run = await timed(process.execPath, ['bin/torwatch.mjs', 'relays', 'import', file], {
      DATABASE_URL: url.toString(),
    });
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const rows = Number((await db.query('SELECT count(*) AS n FROM relay_address')).rows[0].n);
    await db.end();
    const ratio = run.seconds / baseline.seconds;
    console.log(run.stdout.trim());
    console.log(`archive: ${file} (${(textBytes / 1e9).toFixed(2)} GB of text)`);
    console.log(`baseline xz -dc | wc -c: ${baseline.seconds.toFixed(1)} s`);
    console.log(`torwatch relays import:  ${run.seconds.toFixed(1)} s  (target < 120 s)`);
    console.log(`ratio: ${ratio.toFixed(2)}× the baseline  (target ≤ 3×)`);
    console.log(`peak RSS of torwatch relays import: ${run.rssMb.toFixed(0)} MB  (target < 500 MB)`);
    console.log(`interval rows added: ${rows}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
