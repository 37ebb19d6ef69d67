import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Real Chromium from Debian (Playwright cannot download its own browsers here); `npm test` finds or installs it
// (scripts/chromium.mjs) and passes CHROMIUM_PATH.
const chromium =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => existsSync(candidate)) ??
  '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 3210); // names this run's reports (several checkouts may share a machine)

export default defineConfig({
  testDir: 'e2e',
  // Every spec file starts its own server on a fresh database (e2e/specServer.ts): the specs pass in any order, alone
  // or split with --shard. One worker: the machines this runs on have two cores, and a spec's server is busy.
  globalSetup: './e2e/globalSetup.ts',
  outputDir: `test-results/e2e-${port}`,
  fullyParallel: false,
  workers: 1,
  // No retries: a test that passes only on a second try is a failure to look at, not a pass.
  retries: 0,
  timeout: 120_000, // a spec server shares two cores with its browser, the test runner and whatever else runs
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: port === 3210 ? 'test-results/e2e-results.json' : `test-results/e2e-results-${port}.json` }],
    ['html', { open: 'never', outputFolder: `playwright-report${port === 3210 ? '' : `-${port}`}` }],
  ],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1366, height: 860 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 860 } } }],
});
