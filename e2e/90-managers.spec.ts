import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { expect, test } from '@playwright/test';
import { loadDemoData } from './demoData';
import { loginAs } from './login';
import { useSpecServer } from './specServer';

// The managers' pages (issue 17): Trends with KPIs and the world map, the printable report checked through
// Chromium's own PDF output. Figures are checked against SQL on the same database.

useSpecServer('managers');
let db: pg.Client;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  db = await loadDemoData();
  // Some triage, so the triage KPIs have values.
  await db.query(
    `UPDATE hit SET status = CASE WHEN id % 3 = 0 THEN 'true_positive' ELSE 'benign' END,
       triaged_at = first_matched_at + interval '5 hours' WHERE id % 5 = 0 AND status = 'new'`,
  );
});

test.afterAll(async () => {
  await db?.end();
});

// Exact comparisons use a fixed custom period (whole minutes), so a hit crossing "now − N days" between the page's
// query and the test's cannot make them differ.
function fixedPeriod(days: number): { from: string; to: string; query: string } {
  const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const from = new Date(to.getTime() - days * 86_400_000);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    query: `period=custom&from=${from.toISOString()}&to=${to.toISOString()}`,
  };
}

async function sqlHits(period: { from: string; to: string }): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND status <> 'suppressed' AND ts >= $1 AND ts < $2`,
    [period.from, period.to],
  );
  return rows[0].n;
}

const shown = async (text: string) => Number(text.replace(/[^\d]/g, ''));

test('trends: KPIs against SQL, zone named on the charts, weekly and monthly buckets', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  const response = await page.goto('/trends');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Trends' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Last 30 days' })).toHaveAttribute('aria-current', 'true');
  const month = fixedPeriod(30);
  await page.goto(`/trends?${month.query}`);
  const hitsCard = page.locator('[data-kpi="hits"] [data-kpi-value]').first();
  expect(await shown(await hitsCard.innerText())).toBe(await sqlHits(month));
  const devices = (
    await db.query(
      `SELECT count(DISTINCT device_id)::int AS n FROM hit WHERE evidence_valid AND status <> 'suppressed' AND ts >= $1 AND ts < $2`,
      [month.from, month.to],
    )
  ).rows[0].n;
  expect(await shown(await page.locator('[data-kpi="devices"] [data-kpi-value]').first().innerText())).toBe(devices);
  await expect(page.getByTestId('zone-note')).toContainText('time zone UTC');
  await page.screenshot({ path: testInfo.outputPath('trends.png'), fullPage: true });

  const week = fixedPeriod(7);
  await page.goto(`/trends?${week.query}&bucket=month&months=12&zone=Asia%2FTokyo`);
  expect(await shown(await page.locator('[data-kpi="hits"] [data-kpi-value]').first().innerText())).toBe(
    await sqlHits(week),
  );
  const chart = page.getByRole('region', { name: 'Hits by confidence' });
  await expect(chart).toContainText('Months from the 1st, 00:00, time zone Asia/Tokyo');
  await chart.screenshot({ path: testInfo.outputPath('trends-monthly-tokyo.png') });

  // Chart export: CSV of the data, PNG of the picture.
  const [csv] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: /CSV/ }).click()]);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toBe('month starting (Asia/Tokyo),High,Medium,Low');
  const [png] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: /PNG/ }).click()]);
  expect(
    readFileSync((await png.path())!)
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');

  const bad = await page.goto('/trends?zone=Mars%2FOlympus');
  expect(bad?.status()).toBe(200);
  await expect(page.getByRole('alert').filter({ hasText: 'zone:' })).toContainText('zone: not an IANA time zone');
});

test('overview: every chart card downloads its picture as PNG and its data as CSV', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  const month = fixedPeriod(30);
  await page.goto(`/overview?range=custom&from=${month.from}&to=${month.to}`);
  // Hydrated first: a click on CSV before React attached its handler downloads nothing (seen on a loaded machine).
  await page.waitForLoadState('networkidle');
  const cards = page.locator('[data-chart-card]');
  // The trend and the five breakdowns (country, process, device, action type, direction).
  await expect(cards).toHaveCount(6);
  const csvOf = new Map<string, string[]>();
  for (const card of await cards.all()) {
    const title = (await card.getAttribute('aria-label'))!;
    const [csv] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: /CSV/ }).click()]);
    expect(csv.suggestedFilename(), title).toMatch(/^[a-z0-9-]+\.csv$/);
    const lines = readFileSync((await csv.path())!, 'utf8')
      .split('\r\n')
      .filter(Boolean);
    expect(lines.length, title).toBeGreaterThan(1);
    csvOf.set(title, lines);
    const [png] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: /PNG/ }).click()]);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString(), title).toBe('PNG');
    // IHDR width and height: the chart drawn at twice its on-screen size, not an empty canvas.
    expect(bytes.readUInt32BE(16), title).toBeGreaterThan(400);
    expect(bytes.readUInt32BE(20), title).toBeGreaterThan(100);
    expect(bytes.length, title).toBeGreaterThan(5_000);
  }
  // The CSV is the chart's data: the trend's hits add up to the period's, the top country's count is SQL's.
  const trend = csvOf.get('Trend')!;
  expect(trend[0]).toMatch(/^day starting \(UTC\),Hits,Distinct devices$/);
  const trendHits = trend.slice(1).reduce((sum, line) => sum + Number(line.split(',').at(-2)), 0);
  expect(trendHits).toBe(await sqlHits(month));
  const countries = csvOf.get('By relay country')!;
  expect(countries[0]).toBe('By relay country,Hits,Devices');
  const { rows } = await db.query(
    `SELECT count(*)::int AS hits FROM hit WHERE evidence_valid AND status <> 'suppressed' AND ts >= $1 AND ts < $2
     GROUP BY country ORDER BY 1 DESC LIMIT 1`,
    [month.from, month.to],
  );
  expect(Number(countries[1].split(',')[1])).toBe(rows[0].hits);
  await page.screenshot({ path: testInfo.outputPath('overview-export.png'), fullPage: true });
});

test('episodes next to hits: Overview and Trends show open episodes and episodes per week (issue 18)', async ({
  page,
}) => {
  await loginAs(page, 'viewer');
  const month = fixedPeriod(30);
  const { rows } = await db.query(
    `SELECT count(*)::int AS active, (count(*) FILTER (WHERE first_seen >= $1))::int AS begun,
       (count(*) FILTER (WHERE status IN ('new', 'investigating')))::int AS open
     FROM episode WHERE last_seen >= $1 AND first_seen < $2 AND status <> 'suppressed'`,
    [month.from, month.to],
  );
  expect(rows[0].active).toBeGreaterThan(0);
  await page.goto(`/trends?${month.query}`);
  const episodes = page.getByRole('region', { name: 'Episodes' });
  expect(await shown(await episodes.locator('[data-kpi="episodes"] [data-kpi-value]').innerText())).toBe(
    rows[0].active,
  );
  expect(await shown(await episodes.locator('[data-kpi="newEpisodes"] [data-kpi-value]').innerText())).toBe(
    rows[0].begun,
  );
  expect(await shown(await episodes.locator('[data-kpi="openEpisodes"] [data-kpi-value]').innerText())).toBe(
    rows[0].open,
  );
  await expect(page.getByRole('region', { name: 'Episodes begun per week' })).toBeVisible();
  await page.goto(`/overview?range=custom&from=${month.from}&to=${month.to}`);
  expect(await shown(await page.locator('[data-kpi="openEpisodes"] [data-kpi-value]').first().innerText())).toBe(
    rows[0].open,
  );
});

test('world map: legend, what colour means, hover counts, click to filtered hits, hits vs devices', async ({
  page,
}, testInfo) => {
  await loginAs(page, 'viewer');
  const month = fixedPeriod(30);
  await page.goto(`/trends?${month.query}`);
  const map = page.getByTestId('world-map');
  await expect(map).toBeVisible();
  await expect(page.getByTestId('map-meaning')).toContainText('Colour = number of hits');
  await expect(page.getByTestId('map-legend')).toContainText('Hits:');
  const { rows } = await db.query(
    `SELECT country, count(*)::int AS hits, count(DISTINCT device_id)::int AS devices FROM hit
     WHERE evidence_valid AND status <> 'suppressed' AND ts >= $2 AND ts < $3 AND country = ANY($1)
     GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    [['de', 'us', 'fr', 'nl', 'se', 'ca', 'ru', 'gb', 'ch', 'fi', 'ro', 'pl'], month.from, month.to],
  );
  expect(rows.length).toBe(1);
  const top = rows[0];
  const country = map.locator(`a[data-country="${top.country}"]`);
  await expect(country.locator('title')).toHaveText(
    new RegExp(`: ${top.hits.toLocaleString('en-US')} hits, ${top.devices.toLocaleString('en-US')} devices$`),
  );
  await country.hover();
  await page.getByRole('region', { name: 'Relay countries map' }).screenshot({ path: testInfo.outputPath('map.png') });
  await country.click();
  await expect(page).toHaveURL(new RegExp(`/hits\\?.*country=${top.country}`));
  expect(await shown(await page.getByTestId('hit-total').innerText())).toBe(top.hits);

  await page.goto('/trends');
  await page.getByRole('navigation', { name: 'Map measure' }).getByRole('link', { name: 'Devices' }).click();
  await expect(page.getByTestId('map-meaning')).toContainText('Colour = number of distinct devices');
  await expect(page.getByTestId('map-legend')).toContainText('Distinct devices:');
});

test('report: one printable A4 page through Chromium PDF, numbers equal to Trends', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  const response = await page.goto('/reports');
  expect(response?.status()).toBe(200);
  const report = page.getByTestId('report');
  await expect(report).toContainText('TorWatch report — last 7 days');
  const week = fixedPeriod(7);
  await page.goto(`/reports?${week.query}`);
  const reportHits = await shown(await report.locator('[data-kpi="hits"] [data-kpi-value]').innerText());
  expect(reportHits).toBe(await sqlHits(week));
  await page.goto(`/trends?${week.query}`);
  expect(await shown(await page.locator('[data-kpi="hits"] [data-kpi-value]').first().innerText())).toBe(reportHits);

  await page.goto('/reports');
  await page.emulateMedia({ media: 'print' });
  const pdf = testInfo.outputPath('report.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  expect(info).toMatch(/Pages:\s+1\n/);
  const pdfText = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(pdfText).toContain('TorWatch report');
  expect(pdfText).not.toContain('Print / Save as PDF'); // controls are not printed
  expect(pdfText).not.toMatch(/Overview\s+Trends\s+Hits/); // nor the navigation
  execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdf, testInfo.outputPath('report-page')]);
  expect(existsSync(testInfo.outputPath('report-page.png'))).toBe(true);
});

test('report e-mail (admin): SMTP settings, schedule, Send now to a loopback server, delivery log', async ({
  page,
}, testInfo) => {
  const messages: Array<{ to: string[]; size: number }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let size = 0;
      stream.on('data', (c: Buffer) => (size += c.length));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), size });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.server.address() as AddressInfo).port;
    await loginAs(page, 'viewer');
    await page.goto('/reports');
    await expect(page.getByRole('form', { name: 'Report schedule' })).toHaveCount(0); // admins only

    await loginAs(page, 'admin');
    await page.goto('/reports');
    const smtp = page.getByRole('form', { name: 'SMTP server' });
    await smtp.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await smtp.getByLabel('Port', { exact: true }).fill(String(port));
    await smtp.getByLabel('Security', { exact: true }).selectOption('opportunistic');
    await smtp.getByRole('button', { name: 'Save SMTP settings' }).click();
    await expect(smtp.getByRole('status')).toContainText('SMTP settings saved');
    const schedule = page.getByRole('form', { name: 'Report schedule' });
    await schedule.getByLabel('Recipients (comma-separated)').fill('not an address');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await expect(schedule.getByRole('alert')).toContainText(/recipients: "not" is not an e-mail address/i);
    await schedule.getByLabel('Send the report on a schedule').check();
    await schedule.getByLabel('Recipients (comma-separated)').fill('ciso@example.test, lead@example.test');
    await schedule.getByLabel('Weekday', { exact: true }).selectOption('Monday');
    await schedule.getByLabel('Hour', { exact: true }).selectOption('08:00');
    await schedule.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await expect(schedule.getByRole('status')).toContainText('Schedule saved');
    const cron = await db.query(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'report-send'`);
    expect(cron.rows[0]).toMatchObject({ cron: '0 8 * * 1', timezone: 'Europe/Berlin' });

    await page.getByRole('button', { name: 'Send now' }).click();
    await expect(page.getByRole('form', { name: 'Send now' }).getByRole('status')).toContainText(
      'Sent to ciso@example.test, lead@example.test: 250',
      { timeout: 30_000 },
    );
    expect(messages.at(-1)?.to).toEqual(['ciso@example.test', 'lead@example.test']);
    const log = page.getByTestId('delivery-log');
    await expect(log).toContainText('sent');
    await expect(log).toContainText('manual by admin@e2e.torwatch.test');
    await page
      .getByRole('region', { name: 'E-mail the report' })
      .screenshot({ path: testInfo.outputPath('report-admin.png') });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
