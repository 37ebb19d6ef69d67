// `npm test`: type-check, lint (ESLint + Prettier), Vitest (unit, component, integration on a fresh PostgreSQL
// database) and Playwright e2e in Chromium. Every stage runs even when an earlier one fails; the last line totals the
// tests: `N passed, N failed, N skipped` (a test that passed only on a retry counts as failed: there are no retries).
//   TORWATCH_TEST_SKIP=e2e npm test     skip stages (comma-separated: typecheck,lint,vitest,e2e,citus); the run
//                                       still exits 0 when the rest passed, and its last line says what was skipped
//   TORWATCH_TEST_CITUS=1 npm test      also the opt-in citus stage: the parity vectors on a real three-node Citus
//                                       cluster (shared/citus/cluster.sh beside the repository, as root; ~3 min)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { runUnderProjectNode } from '../bin/projectNode.mjs';
import { ensureChromium } from './chromium.mjs';

if (!(await runUnderProjectNode('npm test'))) process.exit(run());

function run() {
  const STAGES = ['typecheck', 'lint', 'vitest', 'e2e', 'citus'];
  const skip = (process.env.TORWATCH_TEST_SKIP ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = skip.filter((name) => !STAGES.includes(name));
  if (unknown.length) {
    console.error(`TORWATCH_TEST_SKIP: unknown stage ${unknown.join(', ')} (stages: ${STAGES.join(', ')})`);
    return 2;
  }
  const bin = (name) => `node_modules/.bin/${name}`;
  rmSync('test-results', { recursive: true, force: true });
  mkdirSync('test-results', { recursive: true });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

  const stages = [
    { name: 'typecheck', steps: [[bin('tsc'), '--noEmit', '-p', '.']] },
    {
      name: 'lint',
      steps: [
        [bin('eslint'), '.', '--max-warnings', '0'],
        [bin('prettier'), '--check', '.', '--log-level', 'warn'],
        // No import cycle (house issue): madge over lib, app, components and bin.
        [bin('madge'), '--circular', '--extensions', 'ts,tsx', 'lib', 'app', 'components', 'bin'],
      ],
    },
    {
      name: 'vitest',
      steps: [
        [
          bin('vitest'),
          'run',
          '--reporter=default',
          '--reporter=json',
          '--outputFile.json=test-results/vitest-results.json',
        ],
      ],
      counts: vitestCounts,
    },
    {
      name: 'e2e',
      before: () => {
        const chromium = ensureChromium(env);
        if (chromium.problem) return chromium.problem;
        env.CHROMIUM_PATH = chromium.path;
      },
      steps: [[bin('playwright'), 'test']],
      counts: playwrightCounts,
    },
    {
      // Opt-in (docs/scaling.md): TORWATCH_TEST_CITUS=1, which .ci/run sets.
      name: 'citus',
      optIn: 'TORWATCH_TEST_CITUS',
      steps: [
        [
          bin('vitest'),
          'run',
          '-c',
          'vitest.citus.config.ts',
          '--reporter=default',
          '--reporter=json',
          '--outputFile.json=test-results/vitest-citus-results.json',
        ],
      ],
      counts: () => vitestCounts('test-results/vitest-citus-results.json'),
    },
  ];

  const total = { passed: 0, failed: 0, skipped: 0 };
  const failures = [];
  for (const stage of stages) {
    if (skip.includes(stage.name)) {
      console.log(`\n▷ ${stage.name}: skipped (TORWATCH_TEST_SKIP)`);
      continue;
    }
    if (stage.optIn && process.env[stage.optIn] !== '1') {
      console.log(`\n▷ ${stage.name}: not run (opt-in: ${stage.optIn}=1)`);
      continue;
    }
    console.log(`\n▶ ${stage.name}`);
    const started = Date.now();
    const problem = stage.before?.();
    let ok = !problem;
    if (problem) console.log(`✗ ${stage.name} not started: ${problem}`);
    for (const [cmd, ...args] of problem ? [] : stage.steps) {
      const result = spawnSync(cmd, args, { stdio: 'inherit', env });
      if (result.status !== 0) ok = false;
    }
    const counts = problem ? { passed: 0, failed: 1, skipped: 0 } : stage.counts?.();
    if (counts) {
      for (const key of Object.keys(total)) total[key] += counts[key];
      if (counts.failed) ok = false;
    } else if (!ok) total.failed += 1;
    console.log(`◀ ${stage.name}: ${ok ? 'ok' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (!ok) failures.push(stage.name);
  }

  if (failures.length) console.log(`\nfailed stages: ${failures.join(', ')}`);
  const skippedStages = STAGES.filter((name) => skip.includes(name));
  const note = skippedStages.length ? ` (stages skipped: ${skippedStages.join(', ')})` : '';
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${note}`);
  return failures.length ? 1 : 0;
}

// A stage whose report is missing (it crashed before writing one) counts as one failure.
function vitestCounts(file = 'test-results/vitest-results.json') {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + (report.success || report.numFailedTests ? 0 : 1),
    skipped: report.numPendingTests + report.numTodoTests,
  };
}
function playwrightCounts() {
  const port = Number(process.env.E2E_PORT ?? 3210); // playwright.config.ts names the report after the port
  const file = port === 3210 ? 'test-results/e2e-results.json' : `test-results/e2e-results-${port}.json`;
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const { stats, errors } = JSON.parse(readFileSync(file, 'utf8'));
  // Flaky (passed on a retry) is a failure; errors outside tests (global setup, the web server) are one more.
  return {
    passed: stats.expected,
    failed: stats.unexpected + stats.flaky + (errors?.length && !stats.unexpected ? 1 : 0),
    skipped: stats.skipped,
  };
}
