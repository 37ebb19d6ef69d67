import { spawnSync } from 'node:child_process';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { e2eCommandEnv } from './e2eEnv';
import { specServer } from './specServer';

// Signing in from any spec: `await loginAs(page, 'analyst')`. One user per role is created per spec server (each spec
// has its own, e2e/specServer.ts) through the CLI (`torwatch user add … --password-stdin`) when the spec first asks
// for it; the first sign-in per role goes through the login page, later ones reuse that session's cookies while
// they are still valid.
export type Role = 'viewer' | 'analyst' | 'admin';

export const E2E_PASSWORD = 'Tor-e2e-long-passphrase-7';
export const e2eEmail = (role: Role) => `${role}@e2e.torwatch.test`;

// Keyed by server and role: a spec's users and sessions mean nothing to the next spec's server.
const ensured = new Set<string>();
const sessions = new Map<string, Awaited<ReturnType<BrowserContext['cookies']>>>();
const key = (role: Role) => `${specServer().url} ${role}`;

/** Runs `torwatch …` against the e2e server's database. */
export function torwatchCli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/torwatch.mjs', ...args], {
    env: e2eCommandEnv(),
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function ensureE2eUser(role: Role): void {
  if (ensured.has(key(role))) return;
  const result = torwatchCli(
    ['user', 'add', '--email', e2eEmail(role), '--role', role, '--password-stdin'],
    `${E2E_PASSWORD}\n`,
  );
  if (result.status !== 0 && !/already exists/.test(result.stderr))
    throw new Error(`could not create the e2e ${role}: ${result.stderr}`);
  ensured.add(key(role));
}

export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function loginAs(page: Page, role: Role): Promise<void> {
  ensureE2eUser(role);
  const context = page.context();
  await context.clearCookies();
  const cached = sessions.get(key(role));
  if (cached) {
    await context.addCookies(cached);
    const response = await page.goto('/overview');
    if (response?.ok() && !new URL(page.url()).pathname.startsWith('/login')) return;
    await context.clearCookies();
  }
  await signInThroughForm(page, e2eEmail(role), E2E_PASSWORD);
  await expect(page).not.toHaveURL(/\/login/);
  sessions.set(key(role), await context.cookies());
}
