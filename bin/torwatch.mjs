#!/usr/bin/env node
// The `torwatch` command. TypeScript sources run through tsx, so `npx torwatch …` works right after `npm install`.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`torwatch: Node.js ${process.versions.node} is too old; TorWatch needs Node.js 22.12 or newer (24 LTS recommended, see README).`);
  process.exit(1);
}
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
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
