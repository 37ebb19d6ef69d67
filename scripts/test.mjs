// `npm test`: type-check, lint, Vitest (unit + integration on a fresh PostgreSQL database) and Playwright e2e in
// Chromium. Every stage runs even when an earlier one fails; the last line totals the tests.
//   TORWATCH_TEST_SKIP=e2e npm test     skip stages (comma-separated: typecheck,lint,vitest,e2e)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const skip = new Set((process.env.TORWATCH_TEST_SKIP ?? '').split(',').filter(Boolean));
const bin = (name) => `node_modules/.bin/${name}`;
rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

const stages = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings', '0'] },
  {
    name: 'vitest',
    cmd: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest-results.json'],
  },
  { name: 'e2e', cmd: bin('playwright'), args: ['test'] },
];

let passed = 0;
let failed = 0;
const failures = [];
for (const stage of stages) {
  if (skip.has(stage.name)) continue;
  console.log(`\n▶ ${stage.name}`);
  const started = Date.now();
  const result = spawnSync(stage.cmd, stage.args, { stdio: 'inherit', env });
  console.log(
    `◀ ${stage.name}: ${result.status === 0 ? 'ok' : `failed (status ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (result.status !== 0) failures.push(stage.name);
  if (stage.name === 'vitest') ({ passed, failed } = add({ passed, failed }, vitestCounts()));
  if (stage.name === 'e2e') ({ passed, failed } = add({ passed, failed }, playwrightCounts()));
  if (result.status !== 0 && (stage.name === 'typecheck' || stage.name === 'lint')) failed += 1;
}

function add(a, b) {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed };
}
function vitestCounts() {
  const file = 'test-results/vitest-results.json';
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests };
}
function playwrightCounts() {
  const file = 'test-results/e2e-results.json';
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected };
}

if (failures.length) console.log(`\nfailed stages: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
