import { spawn, spawnSync } from 'node:child_process';
import { inject } from 'vitest';
import { getPool } from '@/lib/db/pool';

// Shared by the connector integration tests: the real CLI in a child process (so it can be killed), and what the
// connector's batches stored.

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function torwatch(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const result = spawnSync(process.execPath, ['bin/torwatch.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), TORWATCH_OUTBOUND_ALLOW: '127.0.0.1/32', ...env },
    encoding: 'utf8',
    timeout: 300_000,
    input,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `torwatch connector run <name>` and SIGKILLs it after `afterMs` unless it ended first. */
export function runAndKill(name: string, afterMs: number, env: Record<string, string> = {}): Promise<CliResult> {
  return torwatchAsync(['connector', 'run', name], env, undefined, afterMs);
}

/**
 * The CLI without blocking this process (a loopback fake served from the test process must keep answering);
 * SIGKILLed after `killAfterMs` when given.
 */
export async function torwatchAsync(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
  killAfterMs = 300_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, ['bin/torwatch.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), TORWATCH_OUTBOUND_ALLOW: '127.0.0.1/32', ...env },
  });
  child.stdin.end(input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, sig) => resolve([code, sig])),
  );
  clearTimeout(timer);
  return { status, signal, stdout, stderr };
}

/** The `N: events=… inserted=…` line's numbers. */
export function runLine(stdout: string, name: string): Record<string, string> {
  const line = stdout.split('\n').find((l) => l.startsWith(`${name}: events=`));
  if (!line) throw new Error(`no run line for ${name} in: ${stdout}`);
  return Object.fromEntries(
    line
      .slice(name.length + 2)
      .split(' ')
      .map((kv) => kv.split('=') as [string, string]),
  );
}

/** Committed batches of a connector: rows inserted and counted as duplicates, over all its runs. */
export async function connectorBatches(
  name: string,
): Promise<{ batches: number; inserted: number; duplicate: number }> {
  const { rows } = await getPool().query<{ batches: string; inserted: string | null; duplicate: string | null }>(
    `SELECT count(*) AS batches, sum(b.inserted) AS inserted, sum(b.duplicate) AS duplicate
     FROM ingest_batch b JOIN connector c ON b.actor = 'connector:' || c.id
     WHERE c.name = $1 AND b.status = 'committed'`,
    [name],
  );
  return {
    batches: Number(rows[0].batches),
    inserted: Number(rows[0].inserted ?? 0),
    duplicate: Number(rows[0].duplicate ?? 0),
  };
}

export async function eventCount(source: 'zeek' | 'defender'): Promise<number> {
  const { rows } = await getPool().query<{ n: string }>(
    'SELECT count(*) AS n FROM network_event_wide WHERE source = $1',
    [source],
  );
  return Number(rows[0].n);
}
