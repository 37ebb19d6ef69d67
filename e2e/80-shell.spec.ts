import { expect, test } from '@playwright/test';
import { NAV_ITEMS } from '../components/layout/navItems';
import { loginAs } from './login';

test('health tells anyone only "up"; a session gets the database and worker details', async ({ request, page }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'up' });
  await loginAs(page, 'viewer');
  const body = await (await page.request.get('/api/health')).json();
  expect(body.database).toBe(true);
  expect(body.worker).toBe(true);
});

test('every navigation entry opens its page, with no script refused by the Content-Security-Policy', async ({
  page,
}, testInfo) => {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await loginAs(page, 'admin');
  await page.goto('/overview');
  for (const item of NAV_ITEMS) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: item.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${item.href}$`));
    await expect(page.getByRole('heading', { level: 1, name: item.label })).toBeVisible();
  }
  await page.goto('/overview');
  await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
  expect(refused).toEqual([]);
});

test('pages run only the scripts that carry their nonce', async ({ page }) => {
  await loginAs(page, 'analyst');
  const response = await page.goto('/hits');
  const policy = response!.headers()['content-security-policy'];
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(policy.split('; ').find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
  // The theme script carries it (browsers hide the attribute's value, not the `nonce` property).
  const themeNonce = await page.evaluate(
    () => [...document.scripts].find((s) => s.textContent?.includes('torwatch-theme'))?.nonce,
  );
  expect(themeNonce).toBe(nonce);
  // A second page view gets another nonce.
  const again = (await page.goto('/hits'))!.headers()['content-security-policy'];
  expect(again).not.toContain(nonce!);
  // A script that found its way into the page's HTML (what an XSS would be) does not run; the page's own scripts do.
  await page.route('**/hits', async (route) => {
    const original = await route.fetch();
    const html = (await original.text()).replace('</head>', '<script>window.__torwatchInjected = true</script></head>');
    await route.fulfill({ response: original, body: html });
  });
  await page.goto('/hits');
  await expect(page.getByRole('heading', { level: 1, name: 'Hits' })).toBeVisible();
  expect(
    await page.evaluate(() => (window as unknown as { __torwatchInjected?: boolean }).__torwatchInjected),
  ).toBeUndefined();
  await page.unroute('**/hits');
  // API answers forbid everything.
  const api = await page.request.get('/api/health');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
});
