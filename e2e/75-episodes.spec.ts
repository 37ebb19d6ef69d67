import pg from 'pg';
import { expect, test } from '@playwright/test';
import { loadDemoData } from './demoData';
import { loginAs } from './login';
import { useSpecServer } from './specServer';

// Issue #18: episodes — the analysts' landing page, a row expanding to its hits and timeline, triage of an episode by
// keyboard changing all its hits (checked on the page and in SQL), the device page's list, the viewer's read-only view.
test.describe.configure({ mode: 'serial' });

useSpecServer('episodes');
let db: pg.Client;
let episode: { id: string; device_id: string; hit_count: number };

test.beforeAll(async () => {
  test.setTimeout(180_000);
  db = await loadDemoData();
  const { rows } = await db.query(`
    SELECT e.id::text, e.device_id, e.hit_count FROM episode e
    WHERE e.status = 'new' AND e.open_hits = e.hit_count AND e.hit_count BETWEEN 2 AND 50
      AND e.first_seen >= now() - interval '29 days'
    ORDER BY e.hit_count DESC, e.id LIMIT 1`);
  expect(rows.length, 'an open demo episode with several hits').toBe(1);
  episode = rows[0];
});

test.afterAll(async () => {
  await db?.end();
});

test('analysts land on Episodes; a row expands to its hits and timeline', async ({ page }, testInfo) => {
  await loginAs(page, 'analyst');
  await page.goto('/');
  await expect(page).toHaveURL(/\/episodes$/);
  await expect(page.getByTestId('episode-total')).not.toHaveText('0');
  await page.goto(`/episodes?device=${encodeURIComponent(episode.device_id)}`);
  await page.getByRole('link', { name: `Expand episode ${episode.id}` }).click();
  await expect(page).toHaveURL(new RegExp(`episode=${episode.id}`));
  const detail = page.getByRole('region', { name: `Episode ${episode.id}` });
  await expect(detail.getByRole('table', { name: 'Episode hits' }).locator('tbody tr')).toHaveCount(episode.hit_count);
  await expect(detail.getByTestId('timeline-tick')).toHaveCount(episode.hit_count);
  await page.screenshot({ path: testInfo.outputPath('episodes.png'), fullPage: true });
});

test('triaging an episode by keyboard changes all its hits, with one audit row', async ({ page }) => {
  await loginAs(page, 'analyst');
  await page.goto(`/episodes?device=${encodeURIComponent(episode.device_id)}&episode=${episode.id}`);
  await page.waitForLoadState('networkidle'); // hydrated: keys pressed before it would go nowhere
  const ids = await page
    .locator('table[aria-label="Episodes"] tbody tr[data-episode-id]')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-episode-id')!));
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i <= ids.indexOf(episode.id); i++) await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(page.getByText('· 1 selected')).toBeVisible();
  await page.keyboard.press('s');
  await expect(page.getByLabel('Set status')).toBeFocused();
  await page.getByLabel('Set status').selectOption('benign');
  await expect(page.getByRole('group', { name: 'Episode triage' }).getByRole('status')).toHaveText(
    `1 episode updated (${episode.hit_count} hits).`,
  );
  // The expanded row shows the hits' new status, and the episode carries the decision.
  const detail = page.getByRole('region', { name: `Episode ${episode.id}` });
  await expect(detail.getByRole('table', { name: 'Episode hits' }).getByText('Benign')).toHaveCount(episode.hit_count);
  await expect(detail.getByTestId('episode-decision')).toContainText('Decided Benign by analyst@e2e.torwatch.test');
  const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM hit WHERE episode_id = $1 GROUP BY status`, [
    episode.id,
  ]);
  expect(rows).toEqual([{ status: 'benign', n: episode.hit_count }]);
  const audit = await db.query(`SELECT action FROM audit_log WHERE target = $1`, [`episode:${episode.id}`]);
  expect(audit.rows).toEqual([{ action: 'episode.triage' }]);
});

test('the device page lists its episodes; viewers see episodes read-only', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto(`/devices/${encodeURIComponent(episode.device_id)}`);
  const list = page.getByRole('region', { name: 'Episodes of this device' });
  await expect(list.locator('tbody tr').first()).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole('region', { name: 'Episodes' }).getByTestId('open-episodes')).toBeVisible();
  await page.goto('/episodes');
  await expect(page.getByTestId('episode-total')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Episode triage' })).toHaveCount(0);
});
