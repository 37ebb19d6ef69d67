// Starts `torwatch serve` for the Playwright run on a fresh database: a new database on DATABASE_URL's server, or a
// new embedded cluster in a fresh data directory. Cleans up when Playwright stops it.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = path.join(os.tmpdir(), `torwatch-e2e-${port}`);
const dbName = `torwatch_e2e_${port}`;
const env = {
  ...process.env,
  TORWATCH_DATA_DIR: dataDir,
  PORT: String(port),
  TORWATCH_E2E: '1',
  TORWATCH_OFFLINE: '1',
  // Feed fixtures and webhook receivers listen on loopback, which the outbound guard refuses unless allowed.
  TORWATCH_OUTBOUND_ALLOW: process.env.TORWATCH_OUTBOUND_ALLOW ?? '127.0.0.1/32,::1/128',
  NEXT_TELEMETRY_DISABLED: '1',
  TORWATCH_DIST_DIR: process.env.TORWATCH_DIST_DIR ?? (port === 3210 ? '.next' : `.next-e2e-${port}`),
  // e2e/15-signin-throttle.spec.ts plays a reverse proxy from this loopback address.
  TORWATCH_TRUSTED_PROXIES: process.env.TORWATCH_TRUSTED_PROXIES ?? '127.0.0.9/32',
};

async function admin(sql) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

rmSync(dataDir, { recursive: true, force: true });
if (process.env.DATABASE_URL) {
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${dbName}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${dbName}`;
  env.DATABASE_URL = url.toString();
}

const child = spawn(process.execPath, ['bin/torwatch.mjs', 'serve', '--host', '127.0.0.1'], { stdio: 'inherit', env });
const stop = () => child.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', async (code) => {
  if (process.env.DATABASE_URL) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
