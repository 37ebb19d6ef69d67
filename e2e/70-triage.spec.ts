import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { expect, test } from '@playwright/test';
import { loadDemoData } from './demoData';
import { loginAs } from './login';
import { useSpecServer } from './specServer';

// Issue #8: triaging a hit, bulk triage, "suppress hits like this", the viewer's read-only view, and an admin's webhook
// test-send to a receiver on 127.0.0.1 — on the demo dataset of this spec's own server, every outcome checked in SQL.
// One analyst's session in order (serial): the overview test reads the triage the earlier tests did.
useSpecServer('triage');
test.describe.configure({ mode: 'serial' });

let db: pg.Client;

async function openHit(where: string): Promise<{ id: string; device_id: string; process_file_name: string }> {
  const { rows } = await db.query(`SELECT id::text, device_id, process_file_name FROM hit
    WHERE evidence_valid AND status = 'new' AND ts >= now() - interval '29 days' AND process_file_name IS NOT NULL AND ${where}
    ORDER BY ts DESC LIMIT 1`);
  expect(rows.length, `a new hit where ${where}`).toBe(1);
  return rows[0];
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  db = await loadDemoData();
});

test.afterAll(async () => {
  await db?.end().catch(() => {});
});

test('an analyst triages a hit: status, assignee, note — saved and audited', async ({ page }, testInfo) => {
  const hit = await openHit('true');
  await loginAs(page, 'analyst');
  await page.goto(`/hits?hit=${hit.id}`);
  const triage = page.getByRole('region', { name: 'Triage' });
  await triage.getByLabel('Status').selectOption('investigating');
  await expect(triage.getByRole('status')).toHaveText('Status set to investigating.');
  await triage.getByLabel('Assignee').selectOption({ label: 'analyst@e2e.torwatch.test' });
  await expect(triage.getByRole('status')).toHaveText('Assigned.');
  await triage.getByLabel('New note').fill('Asked the owner; waiting for an answer.');
  await triage.getByRole('button', { name: 'Add note' }).click();
  await expect(triage.getByRole('list', { name: 'Notes' })).toContainText('Asked the owner; waiting for an answer.');
  await expect(triage.getByRole('list', { name: 'Notes' })).toContainText('analyst@e2e.torwatch.test');
  const { rows } = await db.query(
    `SELECT h.status, u.email, h.triaged_at IS NOT NULL AS triaged, (SELECT count(*)::int FROM hit_note n WHERE n.hit_id = h.id) AS notes
    FROM hit h LEFT JOIN "user" u ON u.id = h.assignee_id WHERE h.id = $1`,
    [hit.id],
  );
  expect(rows[0]).toEqual({ status: 'investigating', email: 'analyst@e2e.torwatch.test', triaged: true, notes: 1 });
  const audit = await db.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`hit:${hit.id}`]);
  expect(audit.rows.map((r) => r.action)).toEqual(['hit.triage', 'hit.triage', 'hit.note']);
  await page.screenshot({ path: testInfo.outputPath('hit-triage.png'), fullPage: true });
});

test('bulk: selected rows by keyboard (j, x, s) and then every hit of a filter', async ({ page }) => {
  const {
    rows: [{ device_id: device }],
  } =
    await db.query(`SELECT device_id FROM hit WHERE evidence_valid AND status = 'new' AND ts >= now() - interval '29 days'
    GROUP BY device_id HAVING count(*) >= 3 ORDER BY count(*) LIMIT 1`);
  await loginAs(page, 'analyst');
  await page.goto(`/hits?device=${encodeURIComponent(device)}&status=new`);
  await page.waitForLoadState('networkidle'); // hydrated: keys pressed before it would go nowhere
  const ids = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-hit-id')!));
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(page.getByText('· 2 selected')).toBeVisible();
  await page.keyboard.press('s');
  await expect(page.getByLabel('Set status')).toBeFocused();
  await page.getByLabel('Set status').selectOption('benign');
  await expect(page.getByRole('group', { name: 'Bulk triage' }).getByRole('status')).toHaveText('2 hits updated.');
  const benign = await db.query(`SELECT id::text FROM hit WHERE device_id = $1 AND status = 'benign' ORDER BY id`, [
    device,
  ]);
  expect(benign.rows.map((r) => r.id).sort()).toEqual(ids.slice(0, 2).sort());
  // All filtered: the rest of this device's new hits, applied by the server from the filter.
  const rest = (
    await db.query(
      `SELECT count(*)::int AS n FROM hit WHERE device_id = $1 AND status = 'new' AND evidence_valid AND ts >= now() - interval '30 days'`,
      [device],
    )
  ).rows[0].n;
  await page.goto(`/hits?device=${encodeURIComponent(device)}&status=new`);
  await page.waitForLoadState('networkidle');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByLabel('Set status').selectOption('true_positive');
  // Every hit of the filter leaves it (none is new any more): the page ends empty — the "N hits updated." line goes
  // with the table, sometimes before it shows, so the count is checked in the audit log.
  await expect(page.getByText('No hits match these filters')).toBeVisible();
  const audit = await db.query(
    `SELECT target, details->>'updated' AS updated FROM audit_log WHERE action = 'hits.triage-bulk' ORDER BY id DESC LIMIT 1`,
  );
  expect(audit.rows[0]).toEqual({
    target: expect.stringContaining(`device=${encodeURIComponent(device)}`),
    updated: String(rest),
  });
});

test('"suppress hits like this" creates a rule and the hits leave the default view', async ({ page }, testInfo) => {
  const hit = await openHit(`device_id NOT IN (SELECT device_id FROM hit WHERE status <> 'new')`);
  const likeThis = `device=${encodeURIComponent(hit.device_id)}&process=${encodeURIComponent(hit.process_file_name)}`;
  const open = (
    await db.query(
      `SELECT count(*)::int AS n FROM hit WHERE device_id = $1 AND lower(process_file_name) = lower($2) AND status IN ('new', 'investigating')`,
      [hit.device_id, hit.process_file_name],
    )
  ).rows[0].n;
  await loginAs(page, 'analyst');
  await page.goto(`/hits?${likeThis}&hit=${hit.id}`);
  await expect(page.locator(`tr[data-hit-id="${hit.id}"]`)).toBeVisible();
  await page.getByRole('link', { name: 'Suppress hits like this…' }).click();
  await expect(page.getByRole('heading', { name: 'Suppress hits like this' })).toBeVisible();
  await expect(page.getByLabel('Device value')).toHaveValue(hit.device_id);
  await expect(page.getByLabel('Process file name value')).toHaveValue(hit.process_file_name);
  await page.getByLabel('Reason (required)').fill('E2E: sanctioned Tor use on this machine');
  await page.screenshot({ path: testInfo.outputPath('rule-form.png'), fullPage: true });
  await page.getByRole('button', { name: /Create rule/ }).click();
  await expect(page).toHaveURL(new RegExp(`/hits\\?.*suppressed=${open}`));
  await expect(page.locator(`tr[data-hit-id="${hit.id}"]`)).toHaveCount(0);
  await expect(page.getByText('No hits match these filters')).toBeVisible();
  const suppressed = (
    await db.query(
      `SELECT count(*)::int AS n FROM hit WHERE device_id = $1 AND status = 'suppressed' AND suppression_rule_id IS NOT NULL`,
      [hit.device_id],
    )
  ).rows[0].n;
  expect(suppressed).toBe(open);
  // Still queryable with the status filter, and counted on the Rules page.
  await page.goto(`/hits?${likeThis}&status=suppressed`);
  await expect(page.locator(`tr[data-hit-id="${hit.id}"]`)).toBeVisible();
  await page.goto('/rules');
  const rule = page.getByRole('row', { name: /E2E: sanctioned Tor use/ });
  await expect(rule.getByTestId('rule-hit-count')).toHaveText(open.toLocaleString('en'));
  await page.screenshot({ path: testInfo.outputPath('rules.png'), fullPage: true });
});

test('a viewer sees triage read-only and no Rules', async ({ page }) => {
  const hit = await openHit('true');
  await loginAs(page, 'viewer');
  await page.goto(`/hits?hit=${hit.id}`);
  const triage = page.getByRole('region', { name: 'Triage' });
  await expect(triage.getByLabel('Status')).toBeDisabled();
  await expect(triage.getByRole('link', { name: 'Suppress hits like this…' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Bulk triage' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Rules' })).toHaveCount(0);
});

test('the overview shows hits by status and mean time to triage', async ({ page }, testInfo) => {
  await loginAs(page, 'viewer');
  await page.goto('/overview');
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM hit WHERE evidence_valid AND status = 'suppressed' AND ts >= now() - interval '30 days'`,
  );
  await expect(page.getByTestId('triage-count-suppressed')).toContainText(rows[0].n.toLocaleString('en'));
  await expect(page.getByTestId('mean-time-to-triage')).not.toHaveText('—');
  await page.getByRole('region', { name: 'Triage' }).screenshot({ path: testInfo.outputPath('overview-triage.png') });
});

test('an admin adds a signed webhook, test-sends to a receiver on 127.0.0.1, and edits it', async ({
  page,
}, testInfo) => {
  const received: Array<{ body: string; signature: string | undefined }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-torwatch-signature'] as string | undefined });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await loginAs(page, 'admin');
    await page.goto('/settings/webhooks');
    const form = page.getByRole('form', { name: 'Add webhook' });
    await form.getByLabel('Name').fill('E2E receiver');
    await form.getByLabel('URL').fill(url);
    await form.getByLabel('Format').selectOption('generic');
    await form.getByLabel('Signing secret (optional)').fill('e2e-secret');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await expect(form.getByRole('status')).toContainText('Webhook added');
    const row = page.getByRole('row', { name: /E2E receiver/ });
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect(row.getByRole('status')).toHaveText('Delivered (HTTP 200).');
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toMatchObject({ event: 'torwatch.test' });
    expect(received[0].signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    await page.reload();
    await expect(page.getByRole('table', { name: 'Webhook deliveries' })).toContainText('delivered');
    // Edited in place: another confidence, the secret kept (left empty), then removed.
    await page.getByText('Edit “E2E receiver”').click();
    const edit = page.getByRole('form', { name: 'Edit webhook E2E receiver' });
    await expect(edit.getByLabel('URL')).toHaveValue(url);
    await edit.getByLabel('Alert from').selectOption('low');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(edit.getByRole('status')).toContainText('Saved');
    const configured = page.getByRole('table', { name: 'Webhooks' }).getByRole('row', { name: /E2E receiver/ });
    await expect(configured.getByRole('cell', { name: 'low · per episode', exact: true })).toBeVisible();
    await expect(configured.getByRole('cell', { name: 'yes', exact: true })).toBeVisible();
    await edit.getByLabel('remove the secret').check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(configured.getByRole('cell', { name: 'no', exact: true })).toBeVisible();
    await expect(configured.getByRole('cell', { name: 'low · per episode', exact: true })).toBeVisible(); // the second save kept the first
    await page.screenshot({ path: testInfo.outputPath('webhooks.png'), fullPage: true });
  } finally {
    await db.query(`DELETE FROM webhook WHERE name = 'E2E receiver'`); // its receiver is gone: later match runs must not queue to it
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
