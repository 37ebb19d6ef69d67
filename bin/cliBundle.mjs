// The `torwatch` command runs from a precompiled bundle of lib/cli (esbuild, ESM, one chunk per command), so a
// command starts in tens of milliseconds instead of compiling TypeScript through tsx on every start (~0.35 s before,
// which dominated short commands such as `torwatch match`). The bundle is a cache of the sources, never a second
// truth: it records every file it was built from (size and mtime) and is rebuilt when any of them changes, so an
// edited checkout behaves exactly like the sources. npm's postinstall builds it; a checkout where it cannot be built
// (read-only, esbuild missing) falls back to tsx.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = path.join(ROOT, 'node_modules', '.cache', 'torwatch-cli');
const ENTRY = 'lib/cli/main.ts';
/** Inputs that are not modules but change the output: compiler settings, the package's dependencies, this file. */
const EXTRA_INPUTS = ['tsconfig.json', 'package.json', 'bin/cliBundle.mjs'];
/** Old builds are kept a while (a long-running `serve` may still load a chunk from one), then removed. */
const KEEP_RECENT_BUILDS = 10;
const KEEP_RECENT_MS = 3600 * 1000;
const KEEP_ANY_MS = 24 * 3600 * 1000;

/** The URL of the bundle's entry when it matches the sources, else null. Costs one stat per source file (~2 ms). */
export function currentBundle(cache = CACHE) {
  let current;
  try {
    current = JSON.parse(readFileSync(path.join(cache, 'current.json'), 'utf8'));
  } catch {
    return null;
  }
  for (const [file, [size, mtimeMs]] of Object.entries(current.inputs)) {
    let stat;
    try {
      stat = statSync(path.join(ROOT, file));
    } catch {
      return null;
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) return null;
  }
  const entry = path.join(cache, current.dir, 'main.js');
  return existsSync(entry) ? pathToFileURL(entry).href : null;
}

/**
 * Builds the bundle into a fresh directory and then points current.json at it (written by rename, so a concurrent
 * command sees either the old build or the new one, never half of one). Returns the entry's URL.
 */
export async function buildBundle(cache = CACHE) {
  const { build, version } = await import('esbuild');
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = path.join(cache, dir);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: ENTRY },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    // CommonJS modules inlined into the ESM output (the pg driver) call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __torwatchRequire } from 'node:module'; const require = __torwatchRequire(import.meta.url);",
    },
    plugins: [serverOnlyStub, dependencies],
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...EXTRA_INPUTS]) {
    if (file.startsWith('stub:')) continue;
    const stat = statSync(path.join(ROOT, file));
    inputs[file] = [stat.size, stat.mtimeMs];
  }
  const current = path.join(cache, 'current.json');
  const temp = `${current}.${process.pid}`;
  writeFileSync(temp, JSON.stringify({ dir, esbuild: version, builtAt: new Date().toISOString(), inputs }));
  renameSync(temp, current);
  removeOldBuilds(cache, dir);
  return pathToFileURL(path.join(outdir, 'main.js')).href;
}

// `import 'server-only'` guards lib/queries against client bundles; in the CLI and the worker everything is server-side.
const serverOnlyStub = {
  name: 'server-only',
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: '', loader: 'js' }));
  },
};

// Dependencies stay in node_modules and load as usual — except the pg driver with its own dependencies, which every
// command needs: ~35 small CommonJS files that an ES module imports through Node's CommonJS interop, file by file.
// Inlined they cost a command ~6–10 ms less. Its optional native and Cloudflare backends stay out (never loaded).
const INLINED = new Set(['pg']);
const OPTIONAL = new Set(['pg-native', 'pg-cloudflare']);
const dependencies = {
  name: 'dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path: specifier, importer }) => {
      if (specifier.startsWith('@/') || specifier === 'server-only') return undefined;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (OPTIONAL.has(name) || !(INLINED.has(name) || isInsideNodeModules(importer)))
        return { path: specifier, external: true };
      return undefined;
    });
  },
};

/** A module inside node_modules that esbuild is bundling can only be part of an inlined package. */
function isInsideNodeModules(file) {
  return file.split(path.sep).includes('node_modules');
}

function removeOldBuilds(cache, keep) {
  const builds = [];
  for (const name of readdirSync(cache)) {
    if (!name.startsWith('build-') || name === keep) continue;
    const full = path.join(cache, name);
    try {
      builds.push({ full, age: Date.now() - statSync(full).mtimeMs });
    } catch {
      // Another command removed it first.
    }
  }
  builds.sort((a, b) => a.age - b.age);
  builds.forEach(({ full, age }, newest) => {
    if (age > KEEP_ANY_MS || (newest >= KEEP_RECENT_BUILDS && age > KEEP_RECENT_MS))
      rmSync(full, { recursive: true, force: true });
  });
}
