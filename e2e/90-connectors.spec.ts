import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { networkRows, startGraphFake } from '../lib/connectors/__tests__/graphFake';
import { makeCertificate } from '../lib/connectors/__tests__/testCertificate';
import { loginAs, torwatchCli } from './login';
import { useSpecServer } from './specServer';

// The graph-hunting test below pulls 30 days in windows from a loopback fake: the spec's server reads these knobs
// (this worker's environment is the server's) so the run takes seconds, not the 45-calls-a-minute pace.
process.env.TORWATCH_GRAPH_CALLS_PER_MINUTE = '1000';
process.env.TORWATCH_GRAPH_DELAY_MINUTES = '0';

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

test('an admin edits a connector interval, and adds a Graph connector with a certificate that the token endpoint verifies', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'torwatch-e2e-zeek-'));
  const now = Date.now();
  const { certificate, bundle } = makeCertificate('torwatch-e2e');
  const fake = await startGraphFake({
    tenant: 'contoso.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    clientSecret: 'e2e-rotated-secret-9c1d',
    certificates: [certificate],
    network: networkRows(now - 3 * 3600_000, now - 3600_000, 25, 1),
    devices: [],
    cap: 100_000,
  });
  try {
    expect(torwatchCli(['connector', 'add', 'zeek-folder', '--name', 'e2e-interval', '--path', folder]).status).toBe(0);
    await loginAs(page, 'admin');
    await page.goto('/settings/connectors');
    const interval = page.getByRole('form', { name: 'Interval of e2e-interval' });
    await interval.getByRole('spinbutton', { name: 'Minutes between runs of e2e-interval' }).fill('15');
    await interval.getByRole('button', { name: 'Save' }).click();
    await expect(interval.getByRole('status')).toHaveText('e2e-interval runs every 15 minutes.');
    await page.reload();
    await expect(page.getByRole('spinbutton', { name: 'Minutes between runs of e2e-interval' })).toHaveValue('15');
    expect(torwatchCli(['connector', 'list']).stdout).toMatch(/^e2e-interval\tzeek-folder\t\w+\tevery=15m\t/m);

    await page.waitForLoadState('networkidle'); // hydrated: a pick of Kind or Credential before it changes nothing
    const form = page.getByRole('form', { name: 'Add connector' });
    await form.getByRole('combobox', { name: 'Kind' }).selectOption('graph-hunting');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('e2e-graph');
    await form.getByRole('textbox', { name: 'Tenant', exact: true }).fill('contoso.onmicrosoft.com');
    await form.getByRole('textbox', { name: 'Client id', exact: true }).fill('11111111-2222-3333-4444-555555555555');
    await form.getByRole('combobox', { name: 'Credential' }).selectOption('certificate');
    // The secret's field is gone (getByLabel would also find the Credential list's "Client secret" option).
    await expect(form.locator('input[name="clientSecret"]')).toHaveCount(0);
    await form.getByRole('textbox', { name: 'Certificate and private key (PEM)' }).fill(bundle);
    await form.getByRole('textbox', { name: 'Authority URL (optional)' }).fill(fake.url);
    await form.getByRole('textbox', { name: 'Graph URL (optional)' }).fill(fake.url);
    await form.getByRole('button', { name: 'Add connector' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Connector e2e-graph added' })).toBeVisible();

    // The first pull (queued by the add) authenticates with a client assertion the fake verified.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('connector-state-e2e-graph').textContent();
        },
        { timeout: 120_000, intervals: [3_000] },
      )
      .toBe('ok');
    expect(fake.tokenRequests).toContainEqual({ credential: 'assertion', status: 200 });
    expect(fake.tokenRequests.filter((r) => r.credential !== 'assertion')).toEqual([]);
    // Write-only: the page shows the thumbprint, never the key.
    await expect(page.getByText(/certificate [0-9A-F]{40} · expires/)).toBeVisible();
    expect(await page.content()).not.toContain('PRIVATE KEY');

    // The credential replaced in place by a client secret: the next pull authenticates with it, the page forgets the
    // certificate and never shows the secret.
    const credential = page.getByRole('form', { name: 'Credential of e2e-graph' });
    await page.getByText('Replace credential').click();
    await credential.getByRole('combobox', { name: 'Kind' }).selectOption('clientSecret');
    await credential.getByLabel('New credential for e2e-graph').fill('e2e-rotated-secret-9c1d');
    await credential.getByRole('button', { name: 'Replace' }).click();
    await expect(credential.getByRole('status')).toHaveText(
      'e2e-graph: credential replaced; a run has started with it.',
    );
    await expect
      .poll(() => fake.tokenRequests.filter((r) => r.credential === 'secret').map((r) => r.status), {
        timeout: 120_000,
        intervals: [2_000],
      })
      .toContain(200);
    await page.reload();
    await expect(page.getByText(/certificate [0-9A-F]{40} · expires/)).toHaveCount(0);
    expect(await page.content()).not.toContain('e2e-rotated-secret-9c1d');
  } finally {
    await fake.stop();
    torwatchCli(['connector', 'remove', 'e2e-interval']);
    torwatchCli(['connector', 'remove', 'e2e-graph']);
    rmSync(folder, { recursive: true, force: true });
  }
});
