import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from '@playwright/test';

// Every spec file gets its own TorWatch: `torwatch serve` on a free port with a fresh database (on DATABASE_URL's
// server; e2e/globalSetup.ts starts an embedded one when it is unset) and a fresh data directory, started before the
// file's first test and removed after its last. No spec sees another's users, hits or settings, so the specs pass in
// any order, alone, or split with --shard. The web app is built once per run (globalSetup); a server starts in a few
// seconds. Call `useSpecServer('name')` at the top of a spec; `page`, `request` and `torwatchCli` then reach it.
export interface SpecServer {
  name: string;
  url: string;
  dataDir: string;
  databaseUrl: string;
}

let current: SpecServer | null = null;

/** The running spec's server (inside tests and hooks of a file that called useSpecServer). */
export function specServer(): SpecServer {
  if (!current) throw new Error('this spec has no server: call useSpecServer() at the top of the file');
  return current;
}

export function useSpecServer(name: string): void {
  let handle: Awaited<ReturnType<typeof startSpecServer>> | null = null;
  // Also set up (unused) for the hooks, before beforeAll has started the server: hence `current?.`.
  test.use({
    baseURL: async ({}, use) => {
      await use(current?.url);
    },
  });
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    handle = await startSpecServer(name);
    current = handle.server;
  });
  test.afterAll(async () => {
    test.setTimeout(60_000);
    current = null;
    await handle?.stop();
  });
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startSpecServer(name: string) {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is unset: run the e2e through playwright.config.ts');
  const started = Date.now();
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const dbName = `torwatch_e2e_${process.pid}_${slug}`;
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${dbName}`);
  const databaseUrl = Object.assign(new URL(process.env.DATABASE_URL), { pathname: `/${dbName}` }).toString();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `torwatch-e2e-${slug}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The server's output goes to a log beside the test results; its tail is shown when it does not come up.
  const logDir = path.resolve('test-results', 'e2e-servers');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${slug}-${process.pid}.log`);
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/torwatch.mjs', 'serve', '--host', '127.0.0.1', '--port', String(port)],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TORWATCH_DATA_DIR: dataDir,
        TORWATCH_OFFLINE: '1',
        // Feed fixtures and webhook receivers listen on loopback, which the outbound guard refuses unless allowed.
        TORWATCH_OUTBOUND_ALLOW: process.env.TORWATCH_OUTBOUND_ALLOW ?? '127.0.0.1/32,::1/128',
        // e2e/15-signin-throttle.spec.ts plays a reverse proxy from this loopback address.
        TORWATCH_TRUSTED_PROXIES: process.env.TORWATCH_TRUSTED_PROXIES ?? '127.0.0.9/32',
        // The relay fixtures list documentation-range addresses, which production relay imports refuse.
        TORWATCH_RELAY_DOCUMENTATION_ADDRESSES: 'accept',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = once(child, 'exit');
  // A worker that exits (an interrupted run) takes its server with it; `afterAll` is the normal way out.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    log.end();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`the ${name} e2e server did not come up (log ${logFile}):\n${tail}`);
    }
    const healthy = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`e2e server for ${name}: ${url} up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { server: { name, url, dataDir, databaseUrl }, stop };
}
