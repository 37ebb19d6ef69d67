import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, test, type Page } from '@playwright/test';
import { loadDemoData } from './demoData';
import { loginAs, torwatchCli } from './login';
import { useSpecServer } from './specServer';

// The dashboard on demo data plus a few hostile process names (issue #7's e2e list), on this spec's own server. Every
// count is checked against SQL.
useSpecServer('dashboard');

const XSS_NAMES = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>.exe'];
let db: pg.Client;

async function sqlCount(where: string, values: unknown[] = []): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND ts >= now() - interval '30 days' AND ${where}`,
    values,
  );
  return rows[0].n;
}

async function shownTotal(page: Page): Promise<number> {
  return Number((await page.getByTestId('hit-total').innerText()).replace(/,/g, ''));
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  db = await loadDemoData();
  // Hostile process names, ingested like any user file, to a demo relay address.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-xss-'));
  const file = path.join(dir, 'xss.csv');
  const ts = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  writeFileSync(
    file,
    [
      'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,InitiatingProcessFileName,ReportId',
      ...XSS_NAMES.map(
        (name, i) => `${ts(i + 2)},xss-device,xss-device,ConnectionSuccess,192.0.2.1,9001,"${name}",${i + 1}`,
      ),
    ].join('\r\n'),
  );
  const ingest = torwatchCli(['ingest', file]);
  expect(ingest.status, ingest.stderr).toBe(0);
  const match = torwatchCli(['match']);
  expect(match.status, match.stderr).toBe(0);
  // Some triage has happened, so the status filter has something to narrow.
  await db.query(`UPDATE hit SET status = 'investigating' WHERE id % 7 = 0`);
});

test.afterAll(async () => {
  await db?.end().catch(() => {});
});

test('the overview renders its figures and charts, with nothing in the console', async ({ page }, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // From the first page of this browser context (the login page): a missing favicon, a refused script, a failed
  // request or a React error would each log one.
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await loginAs(page, 'viewer');
  await page.goto('/overview');
  await expect(page.locator('[data-figure="hits"] dd').first()).toHaveText(
    (await sqlCount('true')).toLocaleString('en'),
  );
  await expect(page.getByTestId('trend-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'By relay country' }).locator('.recharts-bar-rectangle')).toHaveCount(
    10,
  );
  await expect(page.getByRole('region', { name: 'By process' })).toContainText(XSS_NAMES[1]);
  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await page.screenshot({ path: testInfo.outputPath('overview-dark.png'), fullPage: true });
  expect(dialogs).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('a chart click filters the hits table', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/overview');
  const bars = page.getByRole('region', { name: 'By relay country' }).locator('.recharts-bar-rectangle');
  await expect(bars.first()).toBeVisible();
  await bars.first().click();
  await expect(page).toHaveURL(/\/hits\?.*country=de/);
  await expect(page.getByTestId('hit-total')).toHaveText((await sqlCount(`country = 'de'`)).toLocaleString('en'));
});

test('each filter narrows the hits as SQL counts', async ({ page }) => {
  test.setTimeout(180_000); // eleven page loads, on a machine that may be busy
  await loginAs(page, 'viewer');
  const cases: Array<[string, string, unknown[]]> = [
    ['country=nl&country=se', `country IN ('nl','se')`, []],
    ['process=tor.exe', `process_file_name = 'tor.exe'`, []],
    ['action=ConnectionFailed', `action_type = 'ConnectionFailed'`, []],
    ['direction=outbound', `direction = 'outbound'`, []],
    ['confidence=medium', `confidence = 'medium'`, []],
    ['status=new', `status = 'new'`, []],
    ['port=false', `NOT port_match`, []],
    ['exit=true', `is_exit`, []],
    ['q=wks-005', `device_name ILIKE '%wks-005%'`, []],
    ['range=7d&process=firefox.exe', `process_file_name = 'firefox.exe' AND ts >= now() - interval '7 days'`, []],
  ];
  const all = await sqlCount('true');
  for (const [query, where] of cases) {
    await page.goto(`/hits?${query}`);
    const expected = await sqlCount(where);
    expect(expected, query).toBeGreaterThan(0);
    expect(expected, query).toBeLessThan(all);
    expect(await shownTotal(page), query).toBe(expected);
  }
  // Through the pickers: a country, then confidence.
  await page.goto('/hits');
  await page.waitForLoadState('networkidle'); // hydrated: a pick before it would change nothing
  const filters = page.getByRole('region', { name: 'Filters' });
  await filters.getByLabel('Country').selectOption('fr');
  await expect(page).toHaveURL(/country=fr/);
  await filters.getByLabel('Confidence').selectOption('high');
  await expect(page).toHaveURL(/confidence=high/);
  await expect(page.getByTestId('hit-total')).toHaveText(
    (await sqlCount(`country = 'fr' AND confidence = 'high'`)).toLocaleString('en'),
  );
  await page.getByRole('button', { name: 'Remove Country fr' }).click();
  await expect(page).not.toHaveURL(/country=fr/);
});

test('sorting and keyset paging, and the URL round trip', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  await page.goto('/hits?confidence=high');
  await page.waitForLoadState('networkidle'); // hydrated: a click before it would change nothing
  await page.getByRole('button', { name: /^Process/ }).click();
  await expect(page).toHaveURL(/sort=process&dir=asc|dir=asc.*sort=process/);
  const firstPage = await page
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hit-id')));
  expect(firstPage).toHaveLength(50);
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/after=/);
  const secondPage = await page
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hit-id')));
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
  await page.getByRole('link', { name: '← Previous' }).click();
  await expect
    .poll(() => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hit-id'))))
    .toEqual(firstPage);
  // The first page sorted ascending by process starts with the smallest name, as SQL says.
  const { rows } = await db.query(
    `SELECT coalesce(process_file_name, '') AS p FROM hit WHERE evidence_valid AND confidence = 'high' AND ts >= now() - interval '30 days' ORDER BY 1 LIMIT 1`,
  );
  await expect(page.locator('tbody tr').first()).toContainText(rows[0].p);
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Confidence: high');
  await expect(page.getByRole('columnheader', { name: /Process/ })).toHaveAttribute('aria-sort', 'ascending');
  await page.goBack();
  await expect(page).toHaveURL(/after=/);
  await page.screenshot({ path: testInfo.outputPath('hits.png'), fullPage: true });
});

test('the column chooser is remembered per browser', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/hits');
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('columnheader', { name: 'Port', exact: true })).toBeVisible();
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Port', exact: true }).uncheck();
  await page.getByRole('checkbox', { name: 'Public IP then' }).check();
  await expect(page.getByRole('columnheader', { name: 'Port', exact: true })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('columnheader', { name: /^Public IP then/ })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Port', exact: true })).toHaveCount(0);
});

test('CSV export downloads the current filter, formula-safe, matching the table', async ({ page, request }) => {
  await loginAs(page, 'analyst');
  await page.goto('/hits?process=xmrig.exe');
  const total = await shownTotal(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trimEnd().split('\r\n');
  expect(lines[0]).toBe(
    'Timestamp,DeviceId,DeviceName,LocalPublicIP,LocalIP,RemoteIP,RemotePort,ActionType,Direction,InitiatingProcessFileName,InitiatingProcessFolderPath,RelayFingerprints,RelayNicknames,RelayFlags,CountryCode,PortMatch,IsExit,Confidence,Status,ViaExitAddress,HitId,Evidence,Precision,Connections,LastSeen',
  );
  expect(lines).toHaveLength(total + 1);
  expect(
    lines
      .slice(1)
      .every((line) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z,/.test(line) && line.includes(',xmrig.exe,')),
  ).toBe(true);
  // The table's first row (newest) is the export's last (exports run oldest first).
  const firstRowDevice = await page.locator('tbody tr').first().locator('td').nth(2).innerText();
  expect(lines.at(-1)).toContain(firstRowDevice);
  const json = await page.request.get('/hits/export?process=xmrig.exe&format=json');
  expect((await json.json()).length).toBe(total);
  // Viewers may not export.
  await loginAs(page, 'viewer');
  expect((await page.request.get('/hits/export?format=csv')).status()).toBe(403);
  // Signed out: refused (401) or sent to the login page — never a CSV.
  const anonymous = await request.get('/hits/export?format=csv', { maxRedirects: 0 });
  expect([401, 302, 303, 307]).toContain(anonymous.status());
  expect(anonymous.headers()['content-type'] ?? '').not.toContain('text/csv');
});

test('the detail panel shows the event, the relays and the public IP then', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  await page.goto('/hits?process=tor.exe');
  const firstRow = page.locator('tbody tr').first();
  const id = await firstRow.getAttribute('data-hit-id');
  await firstRow.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`hit=${id}`));
  const panel = page.getByRole('article', { name: 'Hit detail' });
  await expect(panel).toContainText(`hit #${id}`);
  await expect(panel).toContainText('Relays on');
  await expect(panel.getByRole('link', { name: /^demoRelay\d{3}$/ }).first()).toBeVisible();
  const { rows } = await db.query(`SELECT host(local_public_ip) AS ip FROM hit WHERE id = $1`, [id]);
  await expect(panel).toContainText(rows[0].ip);
  await page.screenshot({ path: testInfo.outputPath('hit-detail.png'), fullPage: true });
  await panel.getByRole('link', { name: 'Close detail' }).click();
  await expect(panel).toHaveCount(0);
});

test('the device page', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  await page.goto('/devices');
  await page.getByRole('table', { name: 'Devices' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/\/devices\/demo-/);
  await expect(page.getByTestId('trend-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Public IPs' }).locator('tbody tr').first()).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Processes that reached Tor' }).locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('device.png'), fullPage: true });
});

test('hostile process names render as text in the table, the detail panel and the charts', async ({
  page,
}, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await loginAs(page, 'viewer');
  await page.goto('/hits?q=xss-device');
  for (const name of XSS_NAMES)
    await expect(page.getByRole('table', { name: 'Hits' }).getByText(name, { exact: true })).toBeVisible();
  await page.locator('tbody tr').first().getByRole('link').first().click();
  await expect(page.getByRole('article', { name: 'Hit detail' }).getByRole('heading', { level: 2 })).toContainText(
    XSS_NAMES[0],
  );
  await page.goto('/devices/xss-device');
  await expect(page.getByRole('region', { name: 'Processes that reached Tor' })).toContainText(XSS_NAMES[1]);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('xss.png'), fullPage: true });
  expect(dialogs).toEqual([]);
});
