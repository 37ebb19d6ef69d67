#!/usr/bin/env node
// The `torwatch` command: runs the precompiled bundle of lib/cli (bin/cliBundle.mjs), rebuilt when the sources
// changed; TORWATCH_CLI=tsx (or a bundle that cannot be built) runs the TypeScript sources through tsx instead.
import { runUnderProjectNode } from './projectNode.mjs';

// Under the project's Node 24 (node_modules/.bin/node) whichever node started this (bin/projectNode.mjs).
if (!(await runUnderProjectNode('torwatch'))) await runCli();

async function runCli() {
  // V8's code cache (Node ≥ 22.1): the bundle and its dependencies are compiled once, not on every command.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  // Stack traces name the TypeScript sources (the bundle carries source maps) when debugging.
  if (process.env.TORWATCH_DEBUG) process.setSourceMapsEnabled(true);
  const { main } = await loadCli();
  process.exitCode = await main(process.argv.slice(2));
}

async function loadCli() {
  if (process.env.TORWATCH_CLI !== 'tsx') {
    try {
      const { buildBundle, currentBundle } = await import('./cliBundle.mjs');
      return await import(currentBundle() ?? (await buildBundle()));
    } catch (error) {
      if (process.env.TORWATCH_DEBUG) console.error(`torwatch: running from the sources (bundle: ${error.message})`);
    }
  }
  return loadSources();
}

async function loadSources() {
  // `import 'server-only'` guards lib/queries against client bundles; in the CLI and worker everything is server-side.
  const { registerHooks } = await import('node:module');
  const serverOnly = new URL('./server-only.mjs', import.meta.url).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      return specifier === 'server-only' ? { url: serverOnly, shortCircuit: true } : nextResolve(specifier, context);
    },
  });
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
  return import('../lib/cli/main.ts');
}
