import { defineConfig } from 'vitest/config';
import path from 'node:path';

// Unit tests sit beside the code (*.test.ts), component tests too (*.test.tsx); integration tests (*.int.test.ts)
// need real PostgreSQL.
// Playwright specs live in e2e/ and are never collected here.
export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      'server-only': path.resolve(import.meta.dirname, 'bin/server-only.mjs'),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
          // Relay fixtures use documentation ranges, which production relay imports reject.
          env: { TORWATCH_RELAY_DOCUMENTATION_ADDRESSES: 'accept' },
        },
      },
      {
        // Client components rendered in happy-dom with React Testing Library (tests/components/renderAtUrl.tsx).
        extends: true,
        test: {
          name: 'component',
          include: ['components/**/*.test.tsx'],
          environment: 'happy-dom',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['lib/**/*.int.test.ts', 'app/**/*.int.test.ts', 'tests/**/*.int.test.ts'],
          globalSetup: ['tests/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
