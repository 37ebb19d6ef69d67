import { expect, test } from '@playwright/test';
import { NAV_ITEMS } from '../components/layout/navItems';
import { loginAs } from './login';

test('health is anonymous and reports the database', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.database).toBe(true);
  expect(body.worker).toBe(true);
});

test('every navigation entry opens its page', async ({ page }, testInfo) => {
  await loginAs(page, 'admin');
  await page.goto('/overview');
  for (const item of NAV_ITEMS) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: item.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${item.href}$`));
    await expect(page.getByRole('heading', { level: 1, name: item.label })).toBeVisible();
  }
  await page.goto('/overview');
  await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
});
