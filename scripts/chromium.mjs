// Chromium for the e2e stage of `npm test` (Playwright cannot download its own browsers here): CHROMIUM_PATH, else
// Debian's /usr/bin/chromium. Missing on a Debian/Ubuntu machine where the tests run as root: installed with apt-get,
// as CI does. Missing elsewhere: null and the one command to run, and the e2e stage does not start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL = 'sudo apt-get install chromium';

/** The browser's path, or null. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  return CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

/** Finds Chromium, installing Debian's package when this machine allows it; `{ path }` or `{ problem }`. */
export function ensureChromium(env = process.env, log = console.log) {
  const found = findChromium(env);
  if (found) return { path: found };
  if (env.CHROMIUM_PATH) return { problem: `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist` };
  const canInstall = process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (!canInstall)
    return {
      problem: `Chromium not found; install it with \`${INSTALL}\` (or set CHROMIUM_PATH to a Chromium/Chrome)`,
    };
  log('Chromium not found: installing Debian’s chromium package (apt-get)…');
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
  const install =
    update.status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv });
  const installed = findChromium(env);
  if (install && install.status === 0 && installed) return { path: installed };
  return { problem: `installing Chromium with apt-get failed; run \`${INSTALL}\` and try again` };
}
