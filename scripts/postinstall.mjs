// After `npm install`: generates the Prisma client, then builds the CLI bundle (bin/cliBundle.mjs), which includes it.
// Prisma CLI wants a schema engine binary even for `generate` and cannot download one here (docs/architecture.md §2.4):
// any existing file satisfies the check.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: 'inherit',
  env,
});
if (result.status !== 0) process.exit(result.status ?? 1);
try {
  const { buildBundle } = await import('../bin/cliBundle.mjs');
  await buildBundle();
} catch (error) {
  // Not fatal: the command builds it on first use, or runs the sources through tsx.
  console.warn(`postinstall: the CLI bundle was not built (${error.message})`);
}
