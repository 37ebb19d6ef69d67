import os from 'node:os';
import path from 'node:path';

// One e2e environment per port: the server (scripts/e2e-server.mjs) and the specs' helpers derive the same
// database name / data directory from it, so CLI calls in specs reach the server's database.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DATA_DIR = path.join(os.tmpdir(), `torwatch-e2e-${E2E_PORT}`);
export const E2E_DB_NAME = `torwatch_e2e_${E2E_PORT}`;

/** Environment for running `torwatch …` against the e2e server's database. */
export function e2eCommandEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TORWATCH_DATA_DIR: E2E_DATA_DIR };
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${E2E_DB_NAME}`;
    env.DATABASE_URL = url.toString();
  }
  return env;
}
