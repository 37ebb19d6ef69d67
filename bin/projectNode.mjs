// The project's own Node.js: `npm install` puts Node 24 LTS in node_modules/.bin/node (the exact-version optional
// dependency node-<platform>-<arch> that fits this machine; see README "Start"). npm scripts find it first on PATH;
// `node bin/torwatch.mjs …` and `npx torwatch …` started by any other node re-run themselves under it, so every
// command, the web server and the tests run on the one Node the project was built and tested with.
// Plain JavaScript that parses on Node 18 and later: it runs before we know which Node this is.
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MINIMUM = [22, 12];

/** node_modules/.bin/node when the install put one there, else null. */
export function projectNode() {
  const candidate = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'node.exe' : 'node');
  return existsSync(candidate) ? candidate : null;
}

function sameFile(a, b) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function tooOld() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1]);
}

/**
 * Re-runs this process's script under the project's Node when another node started it: resolves to true when it did
 * (the caller then does nothing; this process exits with the child's status), false to go on in this process. Exits
 * with a one-line reason when this Node is too old and the project has none.
 */
export async function runUnderProjectNode(name) {
  const node = projectNode();
  if (node && !process.env.TORWATCH_NODE_REEXEC && !sameFile(node, process.execPath)) {
    const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, TORWATCH_NODE_REEXEC: '1' },
    });
    // Ctrl-C reaches the whole process group; a signal sent to this pid alone (a supervisor's SIGTERM) is passed on.
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
    child.on('error', (error) => {
      console.error(`${name}: could not start ${node}: ${error.message}`);
      process.exit(1);
    });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1)));
    return true;
  }
  if (tooOld()) {
    console.error(
      `${name}: Node.js ${process.versions.node} is too old and this checkout has no Node of its own; run \`npm install\` (it installs Node 24 into node_modules) or use Node.js ${MINIMUM.join('.')} or newer.`,
    );
    process.exit(1);
  }
  return false;
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal];
}
