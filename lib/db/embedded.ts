import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { dataDir, PG_MAJOR, resolvePgRuntime, type PgRuntime } from './embeddedPaths';

// The embedded default (docs/architecture.md §2.3): a real PostgreSQL in TORWATCH_DATA_DIR, run by pg_ctl so a crash of
// ours leaves a postmaster that the next start finds and adopts. One process owns the cluster (the one that started
// or adopted it, recorded in owner.json); everyone else attaches, and no command stops a postmaster it did not start.

export interface EmbeddedDatabase {
  url: string;
  owned: boolean;
  stop(): Promise<void>;
}

type Role = 'serve' | 'command';
export interface Owner {
  pid: number;
  role: Role;
}

const DATABASE = 'torwatch';
const USER = 'torwatch';

export async function openEmbeddedDatabase(
  role: Role,
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const rt = resolvePgRuntime();
  if (rt.note) log(rt.note);
  checkMajorVersion(rt);
  const password = readOrCreatePassword();
  if (!existsSync(path.join(rt.clusterDir, 'PG_VERSION'))) initCluster(rt, password, log);

  let port = runningPort(rt);
  let owned = false;
  const ownerFile = path.join(dataDir(), 'owner.json');
  const owner = readOwner(ownerFile);
  if (port !== null) {
    if (role === 'serve') {
      if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new Error(
          `the embedded database in ${dataDir()} is in use by ${owner.role === 'serve' ? 'another torwatch serve' : 'a torwatch command'} (pid ${owner.pid}); stop it or wait for it to finish`,
        );
      }
      log(`adopting the PostgreSQL already running on port ${port} (left by an earlier run)`);
      owned = true;
    }
  } else {
    port = await freePort();
    const started = pgCtl(rt, [
      'start',
      '-w',
      '-t',
      '60',
      '-l',
      path.join(rt.clusterDir, 'torwatch-postgres.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    ]);
    if (started.status !== 0) {
      port = runningPort(rt); // another torwatch process won the race: attach to it
      if (port === null)
        throw new Error(
          `embedded PostgreSQL did not start: ${lastLines(started.stderr || started.stdout)} (log: ${path.join(rt.clusterDir, 'torwatch-postgres.log')})`,
        );
    } else {
      owned = true;
      log(`embedded PostgreSQL ${PG_MAJOR} started on 127.0.0.1:${port} (data: ${rt.clusterDir})`);
    }
  }
  if (owned) writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, role } satisfies Owner));

  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`);
  let stopped = false;
  return {
    url: `${base}/${DATABASE}`,
    owned,
    async stop() {
      if (!owned || stopped) return;
      stopped = true;
      pgCtl(rt, ['stop', '-w', '-m', 'fast', '-t', '60']);
      const current = readOwner(ownerFile);
      if (current?.pid === process.pid) rmSync(ownerFile, { force: true });
    },
  };
}

/** Another live process that owns the embedded database of TORWATCH_DATA_DIR (a serve or a command), or null. */
export function otherLiveOwner(): Owner | null {
  const owner = readOwner(path.join(dataDir(), 'owner.json'));
  return owner && owner.pid !== process.pid && isAlive(owner.pid) ? owner : null;
}

/** Drops and re-creates the embedded `torwatch` database, empty (a restore starts from nothing, §17.1). */
export async function recreateEmbeddedDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function checkMajorVersion(rt: PgRuntime): void {
  const file = path.join(rt.clusterDir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const major = Number(readFileSync(file, 'utf8').trim());
  if (major !== PG_MAJOR) {
    throw new Error(
      `the data directory ${rt.clusterDir} was created by PostgreSQL ${major}, this TorWatch ships PostgreSQL ${PG_MAJOR}: ` +
        `back it up with the previous TorWatch release (torwatch db backup) and restore it into a new TORWATCH_DATA_DIR (README "Backup, restore and upgrading")`,
    );
  }
}

function readOrCreatePassword(): string {
  const file = path.join(dataDir(), 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function initCluster(rt: PgRuntime, password: string, log: (line: string) => void): void {
  const pwfile = path.join(rt.clusterDir, '..', `.pwfile-${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (rt.runAs) chownSync(pwfile, rt.runAs.uid, rt.runAs.gid);
  try {
    const result = spawnSync(
      path.join(rt.binDir, 'initdb'),
      [
        '-D',
        rt.clusterDir,
        '-U',
        USER,
        `--pwfile=${pwfile}`,
        '-A',
        'scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { encoding: 'utf8', ...(rt.runAs ?? {}) },
    );
    if (result.status !== 0) throw new Error(`initdb failed: ${lastLines(result.stderr || result.stdout)}`);
    log(`initialised a new PostgreSQL ${PG_MAJOR} cluster in ${rt.clusterDir}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** The port of a live postmaster for this cluster, from its postmaster.pid, or null. */
function runningPort(rt: PgRuntime): number | null {
  const pidFile = path.join(rt.clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!isAlive(pid)) return null;
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  if (!cmdline.includes('postgres')) return null;
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

function pgCtl(rt: PgRuntime, args: string[]) {
  return spawnSync(path.join(rt.binDir, 'pg_ctl'), ['-D', rt.clusterDir, ...args], {
    encoding: 'utf8',
    ...(rt.runAs ?? {}),
  });
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function readOwner(file: string): Owner | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ');
}
