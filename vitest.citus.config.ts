import { defineConfig } from 'vitest/config';
import path from 'node:path';

// The Citus stage of npm test (opt-in: TORWATCH_TEST_CITUS=1; .ci/run turns it on): tests/citus/*.citus.test.ts
// against a real three-node cluster started by tests/citus/globalSetup.ts. Never collected by vitest.config.ts.
export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      'server-only': path.resolve(import.meta.dirname, 'bin/server-only.mjs'),
    },
  },
  test: {
    name: 'citus',
    include: ['tests/citus/**/*.citus.test.ts'],
    globalSetup: ['tests/citus/globalSetup.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
