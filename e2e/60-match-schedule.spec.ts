import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loginAs, torwatchCli } from './login';

// Issue #6 "done when": after an upload, a hit appears in GET /api/v1/hits — and on the Hits page — without anyone
// pressing anything: the ingest queues a match, the worker runs it.
const VECTOR = path.join(process.cwd(), 'tests/fixtures/kql-parity');

function token(scope: 'ingest' | 'read'): string {
  const created = torwatchCli(['token', 'create', '--name', `e2e-match-${scope}-${Date.now()}`, '--scope', scope]);
  expect(created.status, created.stderr).toBe(0);
  return created.stdout.trim().split('\n').at(-1)!;
}

test('an uploaded file becomes hits without pressing anything', async ({ request, page }, testInfo) => {
  test.setTimeout(180_000);
  const imported = torwatchCli([
    'relays',
    'import',
    path.join(VECTOR, 'relays.csv'),
    '--observed-at',
    '2026-11-20T12:00:00Z',
  ]);
  expect(imported.status, imported.stderr).toBe(0);
  const ingest = token('ingest');
  const read = token('read');

  const upload = await request.post('/api/v1/ingest?file=DeviceNetworkEvents.csv', {
    headers: { Authorization: `Bearer ${ingest}`, 'Content-Type': 'text/csv' },
    data: readFileSync(path.join(VECTOR, 'DeviceNetworkEvents.csv')),
  });
  expect(upload.status(), await upload.text()).toBe(200);
  expect(await upload.json()).toMatchObject({ inserted: 3000, rejected: 0 });

  // Other specs share this server (the demo dataset's devices are demo-…): count the test vector's devices only.
  let hits: Array<Record<string, unknown>> = [];
  await expect
    .poll(
      async () => {
        const response = await request.get('/api/v1/hits', { headers: { Authorization: `Bearer ${read}` } });
        const all: Array<Record<string, unknown>> = response.ok() ? await response.json() : [];
        hits = all.filter((hit) => String(hit.DeviceName).endsWith('.corp.example.com'));
        return hits.length;
      },
      { timeout: 120_000, intervals: [2_000] },
    )
    .toBe(94);
  expect(hits[0]).toMatchObject({ RemoteIP: '51.253.220.217', PortMatch: true, Status: 'new' });
  expect(hits[0].HitId).toMatch(/^\d+$/); // what PATCH /api/v1/hits/{id} takes

  const csv = await request.get('/api/v1/hits?format=csv&compat=1', { headers: { Authorization: `Bearer ${read}` } });
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0]).toBe(
    'Timestamp,DeviceId,LocalPublicIP,LocalIP,RemoteIP,TorIP,Hostname,CountryCode,ActionType,InitiatingProcessFileName,InitiatingProcessFolderPath,HitId',
  );

  await loginAs(page, 'analyst');
  await page.goto('/hits?range=custom&from=2025-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&q=corp.example.com');
  // Newest first: the API's last hit (it orders by time ascending) heads the table.
  await expect(page.getByText(String(hits.at(-1)!.RemoteIP)).first()).toBeVisible();
  await page.goto('/jobs');
  await expect(page.getByRole('cell', { name: 'ingest' }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('jobs.png'), fullPage: true });
});

test('the hits API refuses anonymous callers and ingest tokens', async ({ request }) => {
  expect((await request.get('/api/v1/hits')).status()).toBe(401);
  const ingest = token('ingest');
  expect((await request.get('/api/v1/hits', { headers: { Authorization: `Bearer ${ingest}` } })).status()).toBe(403);
});
