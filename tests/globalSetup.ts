import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { applyMigrations } from '../lib/db/migrate';
import { sealPendingSecrets } from '../lib/secrets/sealPendingSecrets';
import { createTestDatabase } from './testDatabase';

// Integration tests run against a fresh, migrated database created for this run and dropped after it.
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.TORWATCH_OFFLINE ??= '1'; // no test ever fetches from outside this machine
  // Test servers (receivers, feed mirrors) listen on loopback, which the outbound guard refuses unless allowed.
  process.env.TORWATCH_OUTBOUND_ALLOW ??= '127.0.0.1/32,::1/128';
  // The secret store's key for this run, so no test writes a key file into the working tree's data directory.
  process.env.TORWATCH_SECRET_KEY ??= randomBytes(32).toString('base64');
  const database = await createTestDatabase('torwatch_test');
  await applyMigrations(database.url);
  await sealPendingSecrets(database.url);
  project.provide('databaseUrl', database.url);
  return async () => {
    await database.drop();
  };
}
