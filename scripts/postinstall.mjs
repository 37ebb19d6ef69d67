// After `npm install`: generates the Prisma client, then builds the CLI bundle (bin/cliBundle.mjs), which includes it.
// Prisma CLI wants a schema engine binary even for `generate` and cannot download one here (docs/architecture.md §2.4):
// any existing file satisfies the check.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// npm skips an optional dependency whose `engines` the installing node fails: under a machine's Node 20 it leaves out
// @napi-rs/lzma's native binding (engines ^22.20). This script runs on the project's Node 24 (node_modules/.bin comes
// first in npm scripts): when the binding is missing, let npm fill the tree in again under this Node.
const require = createRequire(import.meta.url);
try {
  require('@napi-rs/lzma');
} catch {
  if (process.env.npm_execpath && !process.env.TORWATCH_POSTINSTALL_REFILL) {
    console.log('postinstall: native bindings skipped under an older node; installing them under Node 24');
    const refill = spawnSync(
      process.execPath,
      [process.env.npm_execpath, 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'],
      { stdio: 'inherit', env: { ...process.env, TORWATCH_POSTINSTALL_REFILL: '1' } },
    );
    if (refill.status !== 0)
      console.warn('postinstall: could not install the native bindings; relay archives need them');
  }
}

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
