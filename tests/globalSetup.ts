import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../lib/db/migrate';
import { createTestDatabase } from './testDatabase';

// Integration tests run against a fresh, migrated database created for this run and dropped after it.
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.TORWATCH_OFFLINE ??= '1'; // no test ever fetches from outside this machine
  const database = await createTestDatabase('torwatch_test');
  await applyMigrations(database.url);
  project.provide('databaseUrl', database.url);
  return async () => {
    await database.drop();
  };
}
