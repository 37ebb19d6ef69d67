import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// The three-node Citus cluster of the shared harness (shared/citus/cluster.sh beside the repository: a real
// coordinator and two workers on 127.0.0.1), driven from tests and `npm run bench:citus` (docs/scaling.md).

/** shared/citus/cluster.sh in the repository's parent or any folder above it (CI lays shared/ beside the clone). */
export function findClusterScript(from = path.resolve(import.meta.dirname, '../..')): string | null {
  if (process.env.TORWATCH_CITUS_CLUSTER) return process.env.TORWATCH_CITUS_CLUSTER;
  for (let dir = path.dirname(from); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const script = path.join(dir, 'shared', 'citus', 'cluster.sh');
    if (existsSync(script)) return script;
  }
  return null;
}

export interface Cluster {
  coordinatorPort: number;
  /** A database on every node with the extension and both workers registered; its coordinator URL. */
  createDatabase(name: string, options?: { workers?: 1 | 2 }): string;
  dropDatabase(name: string): void;
  stop(): void;
}

/** Starts (initialising on first use) a cluster in `dir` on ports port..port+2. */
export function startCluster(dir: string, port: number): Cluster {
  const script = findClusterScript();
  if (!script) throw new Error('shared/citus/cluster.sh not found beside the repository (set TORWATCH_CITUS_CLUSTER)');
  const env = { ...process.env, CITUS_DIR: dir, CITUS_PORT: String(port) };
  const run = (...args: string[]) => {
    const result = spawnSync('bash', [script, ...args], { env, encoding: 'utf8', timeout: 300_000 });
    if (result.status !== 0)
      throw new Error(`cluster.sh ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
    return result.stdout.trim().split('\n').at(-1) ?? '';
  };
  run('start');
  return {
    coordinatorPort: port,
    createDatabase(name, options = {}) {
      const url = run('create-db', name);
      if (options.workers === 1) {
        // No shard exists yet in a new database: the second worker simply leaves its metadata.
        const psql = spawnSync(
          '/usr/lib/postgresql/15/bin/psql',
          ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', `SELECT citus_remove_node('127.0.0.1', ${port + 2})`],
          { encoding: 'utf8' },
        );
        if (psql.status !== 0) throw new Error(`citus_remove_node failed: ${psql.stderr}`);
      }
      return url;
    },
    dropDatabase(name) {
      run('drop-db', name);
    },
    stop() {
      run('stop');
    },
  };
}
