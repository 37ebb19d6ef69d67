import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loginAs, torwatchCli } from './login';
import { useSpecServer } from './specServer';

// Issue #13 "done when": an admin adds a connector in Settings → Connectors and, without pressing anything else, its
// first hit appears: the add queues the first pull, the pull's batch queues the match, the worker runs both.
useSpecServer('connectors');
const VECTOR = path.join(process.cwd(), 'tests/fixtures/kql-parity');
const RELAY = '51.253.220.217'; // a relay of the test vector's list, on port 443 in August 2025
const DEVICE = '10.77.88.99';

test('a zeek-folder connector added in the UI brings its first hit by itself', async ({ page, request }) => {
  test.setTimeout(180_000);
  const imported = torwatchCli([
    'relays',
    'import',
    path.join(VECTOR, 'relays.csv'),
    '--observed-at',
    '2026-11-20T12:00:00Z',
  ]);
  expect(imported.status, imported.stderr).toBe(0);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'torwatch-e2e-zeek-'));
  try {
    const ts = Date.parse('2025-08-26T02:00:00Z') / 1000;
    writeFileSync(
      path.join(folder, 'conn.log'),
      JSON.stringify({
        ts,
        uid: 'CE2eConnector1',
        'id.orig_h': DEVICE,
        'id.orig_p': 51515,
        'id.resp_h': RELAY,
        'id.resp_p': 443,
        proto: 'tcp',
        conn_state: 'SF',
        local_orig: true,
      }) + '\n',
    );

    await loginAs(page, 'admin');
    await page.goto('/settings/connectors');
    const form = page.getByRole('form', { name: 'Add connector' });
    await form.getByRole('combobox', { name: 'Kind' }).selectOption('zeek-folder');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('e2e-sensor');
    await form.getByRole('textbox', { name: 'Folder', exact: true }).fill(folder);
    await form.getByRole('button', { name: 'Add connector' }).click();
    await expect(page.getByRole('status')).toContainText('Connector e2e-sensor added');

    const created = torwatchCli(['token', 'create', '--name', `e2e-connector-${Date.now()}`, '--scope', 'read']);
    expect(created.status, created.stderr).toBe(0);
    const read = created.stdout.trim().split('\n').at(-1)!;
    await expect
      .poll(
        async () => {
          const response = await request.get('/api/v1/hits', { headers: { Authorization: `Bearer ${read}` } });
          const hits: Array<Record<string, unknown>> = response.ok() ? await response.json() : [];
          return hits.filter((hit) => hit.DeviceId === DEVICE).map((hit) => hit.RemoteIP);
        },
        { timeout: 120_000, intervals: [2_000] },
      )
      .toEqual([RELAY]);

    // The page shows the connector healthy, and the detailed health (a token) lists it.
    await page.reload();
    await expect(page.getByTestId('connector-state-e2e-sensor')).toHaveText('ok');
    const health = await request.get('/api/health', { headers: { Authorization: `Bearer ${read}` } });
    expect((await health.json()).connectors).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'e2e-sensor', kind: 'zeek-folder', state: 'ok' })]),
    );
    const anonymous = await request.get('/api/health');
    expect((await anonymous.json()).connectors).toBeUndefined();
  } finally {
    torwatchCli(['connector', 'remove', 'e2e-sensor']);
    rmSync(folder, { recursive: true, force: true });
  }
});
