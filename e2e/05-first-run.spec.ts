import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_PASSWORD, signInThroughForm } from './login';
import { specServer, useSpecServer } from './specServer';

// First run: a server without any account (this spec's own) prints a setup token; /setup creates the first admin.
useSpecServer('first-run');

test('first-run setup needs the token from the log, then creates the admin', async ({ page }, testInfo) => {
  const tokenFile = path.join(specServer().dataDir, 'setup-token');
  const token = readFileSync(tokenFile, 'utf8').trim();
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login\?next=%2Foverview/);
  await page.getByRole('link', { name: 'Create the first admin' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  const fill = async (setupToken: string) => {
    await page.getByLabel('Setup token').fill(setupToken);
    await page.getByLabel('Admin e-mail').fill('first-admin@e2e.torwatch.test');
    await page.getByLabel('Password', { exact: false }).first().fill(E2E_PASSWORD);
    await page.getByLabel('Password again').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Create admin' }).click();
  };
  await fill('not-the-token');
  await expect(page.getByText('That setup token is wrong')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('setup.png') });
  await fill(token);
  await expect(page).toHaveURL(/\/login\?setup=done/);
  expect(existsSync(tokenFile)).toBe(false);
  await signInThroughForm(page, 'first-admin@e2e.torwatch.test', E2E_PASSWORD);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByLabel('Signed in user')).toContainText('first-admin@e2e.torwatch.test');
  // Setup is spent: the page now sends everyone to the login page.
  await page.goto('/setup');
  await expect(page).not.toHaveURL(/\/setup/);
});
