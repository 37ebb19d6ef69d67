import { expect, test } from '@playwright/test';
import { E2E_PASSWORD, e2eEmail, ensureE2eUser, loginAs, signInThroughForm, torwatchCli } from './login';
import { useSpecServer } from './specServer';

useSpecServer('auth');

test('login, wrong password, logout', async ({ page }, testInfo) => {
  ensureE2eUser('analyst');
  await signInThroughForm(page, e2eEmail('analyst'), 'wrong-password-for-sure');
  await expect(page.getByText('Wrong e-mail or password.')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('login-error.png') });
  await page.goto('/hits');
  await expect(page).toHaveURL(/\/login\?next=%2Fhits/);
  await page.getByLabel('E-mail').fill(e2eEmail('analyst'));
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/hits$/); // back where the user wanted to go
  await expect(page.getByLabel('Signed in user')).toContainText('analyst');
  await page.screenshot({ path: testInfo.outputPath('signed-in.png'), fullPage: true });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login\?next=%2Foverview/);
});

test('a viewer cannot reach the Ingest page or Settings', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Ingest' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  const response = await page.goto('/ingest');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Forbidden' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('viewer-forbidden.png') });
  expect((await page.goto('/settings/users'))?.status()).toBe(403);
});

test('an admin creates a token that works once shown and stops when revoked', async ({ page, request }, testInfo) => {
  await loginAs(page, 'admin');
  await page.goto('/settings/tokens');
  await page.getByLabel('Name').fill('e2e-reader');
  await page.getByLabel('Scope').selectOption('read');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('new-token').textContent())!.trim();
  expect(secret).toMatch(/^tw_/);
  await page.screenshot({ path: testInfo.outputPath('token-created.png'), fullPage: true });
  const url = '/api/v1/hits?format=json&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z';
  expect((await request.get(url, { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0); // never shown again
  await page.getByRole('button', { name: 'Revoke e2e-reader' }).click();
  await expect(page.getByRole('row', { name: /e2e-reader/ })).toContainText('revoked');
  expect((await request.get(url, { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
  await page.goto('/settings/audit?action=token');
  await expect(page.getByRole('cell', { name: 'token.revoke' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: true });
});

test('security headers on pages and APIs', async ({ request }) => {
  for (const url of ['/login', '/api/health']) {
    const headers = (await request.get(url)).headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['x-frame-options']).toBe('DENY');
  }
});

test('the CLI creates users and prints a token alone on its last line', () => {
  const created = torwatchCli([
    'token',
    'create',
    '--name',
    'e2e-cli',
    '--scope',
    'ingest',
    '--expires',
    '2999-01-01T00:00:00Z',
  ]);
  expect(created.status).toBe(0);
  expect(created.stdout.trim().split('\n').pop()).toMatch(/^tw_[A-Za-z0-9_-]{43}$/);
  expect(
    torwatchCli(['user', 'add', '--email', 'weak@e2e.torwatch.test', '--role', 'viewer', '--password-stdin'], 'short\n')
      .status,
  ).toBe(1);
});
