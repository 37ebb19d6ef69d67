import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../lib/db/migrate';
import { createTestDatabase } from '../testDatabase';
import { startCluster } from './cluster';

// The Citus stage (TORWATCH_TEST_CITUS=1 npm test, docs/scaling.md): a fresh three-node cluster in a temporary
// directory for this run (ports TORWATCH_TEST_CITUS_PORT, default 9710..9712), stopped and removed afterwards; plus a
// single-node database on DATABASE_URL's server (or the embedded one) to compare answers with.
declare module 'vitest' {
  export interface ProvidedContext {
    citusPort: number;
    citusDir: string;
    singleNodeUrl: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.TORWATCH_OFFLINE ??= '1';
  process.env.TORWATCH_RELAY_DOCUMENTATION_ADDRESSES ??= 'accept';
  process.env.TORWATCH_SECRET_KEY ??= randomBytes(32).toString('base64');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-citus-test-'));
  const port = Number(process.env.TORWATCH_TEST_CITUS_PORT ?? 9710);
  const started = Date.now();
  const cluster = startCluster(dir, port);
  console.log(`citus: 3 nodes up on 127.0.0.1:${port}-${port + 2} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const single = await createTestDatabase('torwatch_single');
  delete process.env.TORWATCH_DISTRIBUTED;
  await applyMigrations(single.url);
  project.provide('citusPort', port);
  project.provide('citusDir', dir);
  project.provide('singleNodeUrl', single.url);
  return async () => {
    await single.drop();
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
