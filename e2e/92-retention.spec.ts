import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, test } from '@playwright/test';
import { loginAs, torwatchCli } from './login';
import { specServer, useSpecServer } from './specServer';

// Settings → Retention (issue 16): an admin sees what a run would drop and why a month is held, applies retention,
// and sees the last run, the dropped month and the audit row. (Other roles get 403: tests/accessMatrix.ts, checked
// by 20-authz-matrix.spec.ts and accessMatrix.int.test.ts.)
useSpecServer('retention');

const HEADER = 'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,InitiatingProcessFileName,ReportId';

test('an admin sees the plan, applies retention and finds what went in the last run and the audit log', async ({
  page,
}) => {
  test.setTimeout(300_000); // two CLI commands and five page loads on a shared two-core machine
  const folder = mkdtempSync(path.join(os.tmpdir(), 'torwatch-e2e-retention-'));
  try {
    const file = path.join(folder, 'august-2025.csv');
    writeFileSync(
      file,
      `${HEADER}\r\n2025-08-26T02:00:00Z,dev-old,old.corp,ConnectionSuccess,51.253.220.217,443,tor.exe,1\r\n` +
        `2025-08-26T02:30:00Z,dev-old,old.corp,ConnectionSuccess,51.253.220.217,443,tor.exe,2\r\n`,
    );
    const ingested = torwatchCli(['ingest', file]);
    expect(ingested.status, ingested.stderr).toBe(0);
    const matched = torwatchCli(['match']);
    expect(matched.status, matched.stderr).toBe(0);

    await loginAs(page, 'admin');
    await page.goto('/settings');
    await page.getByRole('link', { name: /Retention/ }).click();
    await expect(page).toHaveURL(/\/settings\/retention$/);
    const plan = page.getByRole('table', { name: 'Retention plan' });
    const august = plan.getByRole('row').filter({ hasText: 'network_event' }).filter({ hasText: '2025-08' });
    await expect(august).toContainText('hold');
    await expect(august).toContainText('2 event(s) ingested in the last 7 days');
    await expect(page.getByTestId('retention-last-run')).toContainText('has not run yet');

    // A week and a day later (the batch's commit time moved back; nothing else changes).
    const db = new pg.Client({ connectionString: specServer().databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE ingest_batch SET finished_at = now() - interval '8 days'`);
    } finally {
      await db.end();
    }
    await page.reload();
    await expect(august).toContainText('drop');

    await page.getByRole('button', { name: /Apply retention now/ }).click();
    await expect(page.getByRole('status')).toContainText('Dropped network_event 2025-08');
    await page.reload();
    await expect(page.getByTestId('retention-last-run')).toContainText('dropped network_event 2025-08');
    await expect(page.getByText('2025-08: 2 events, dropped')).toBeVisible();
    await expect(plan.getByRole('row').filter({ hasText: 'network_event' }).filter({ hasText: '2025-08' })).toHaveCount(
      0,
    );

    const shown = torwatchCli(['retention', 'show']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('connection_summary\t2025-08\t1\t');

    await page.goto('/settings/audit?action=retention');
    await expect(page.getByRole('row').filter({ hasText: 'retention.apply' })).toContainText('network_event');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
