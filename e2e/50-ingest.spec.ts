import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { telemetryLines } from '../scripts/gen-telemetry';
import { loginAs, torwatchCli } from './login';
import { useSpecServer } from './specServer';

// The Ingest page and API end to end, through the real server (Next 16 would truncate bodies over 10 MB if they
// passed proxy.ts): a 100 MB upload arrives whole, a >10 MB API body too; rejects viewer; admin delete.
useSpecServer('ingest');

async function generate(file: string, events: number, seed: string): Promise<number> {
  const out = createWriteStream(file);
  let block = '';
  for (const line of telemetryLines({ events, format: 'defender-csv', seed })) {
    block += line;
    if (block.length >= 1 << 20) {
      if (!out.write(block)) await once(out, 'drain');
      block = '';
    }
  }
  out.end(block);
  await once(out, 'finish');
  return (await stat(file)).size;
}

const BAD_ROWS =
  [
    'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,ReportId',
    '2026-03-01T10:00:00.1234567Z,dev-e2e,e2e-pc,ConnectionSuccess,198.51.100.7,9001,1',
    '2026-03-01T10:00:01.1234567Z,dev-e2e,e2e-pc,ConnectionSuccess,10.0.0.300,9001,2',
    '2026-03-01T10:00:02.1234567Z,dev-e2e,e2e-pc,ConnectionSuccess,198.51.100.8,443,3',
  ].join('\r\n') + '\r\n';

test('an analyst uploads several files, a 100 MB one among them, with progress per file and each batch summary', async ({
  page,
}, testInfo) => {
  test.setTimeout(900_000);
  const big = testInfo.outputPath('DeviceNetworkEvents-100MB.csv');
  const rows = 170_000;
  const size = await generate(big, rows, 'e2e-upload');
  expect(size).toBeGreaterThan(100 * 1024 * 1024);

  await loginAs(page, 'analyst');
  await page.goto('/ingest');
  const small = testInfo.outputPath('with-rejects.csv');
  await writeFile(small, BAD_ROWS);
  await page.getByLabel('Telemetry files').setInputFiles([big, small]);
  await page.getByRole('button', { name: 'Upload' }).click();

  const bigUpload = page.getByRole('listitem', { name: 'Upload of DeviceNetworkEvents-100MB.csv' });
  await expect(bigUpload.getByRole('progressbar')).toBeVisible();
  await expect(bigUpload.getByTestId('upload-summary')).toHaveText(
    `read=${rows} inserted=${rows} duplicate=0 rejected=0`,
    { timeout: 840_000 },
  );
  const smallUpload = page.getByRole('listitem', { name: 'Upload of with-rejects.csv' });
  await expect(smallUpload.getByTestId('upload-summary')).toHaveText('read=3 inserted=2 duplicate=0 rejected=1', {
    timeout: 60_000,
  });
  await expect(smallUpload).toContainText('with-rejects.csv:3: RemoteIP:');
  await page.screenshot({ path: testInfo.outputPath('ingest-uploaded.png'), fullPage: true });

  // The whole body arrived: the batch counted every byte.
  const table = page.getByRole('table', { name: 'Ingest batches' });
  await expect(table.getByRole('row').filter({ hasText: 'DeviceNetworkEvents-100MB.csv' })).toContainText('committed');
  await expect(table.getByRole('row').filter({ hasText: 'DeviceNetworkEvents-100MB.csv' })).toContainText(
    `${(size / 1024 ** 2).toFixed(1)} MiB`,
  );

  // The rejects viewer.
  await table.getByRole('row').filter({ hasText: 'with-rejects.csv' }).getByRole('link', { name: '1' }).click();
  const rejects = page.getByRole('table', { name: 'Rejected rows' });
  await expect(rejects).toContainText('RemoteIP');
  await expect(rejects).toContainText('10.0.0.300');
  await page.screenshot({ path: testInfo.outputPath('ingest-rejects.png'), fullPage: true });
});

test('POST /api/v1/ingest takes a body over 10 MB whole with an ingest token, and refuses a multipart post', async ({
  request,
}, testInfo) => {
  test.setTimeout(300_000);
  const created = torwatchCli(['token', 'create', '--name', 'e2e-forwarder', '--scope', 'ingest']);
  expect(created.status, created.stderr).toBe(0);
  const token = created.stdout.trim().split('\n').pop()!;
  const file = testInfo.outputPath('api-12MB.csv');
  const rows = 20_000;
  const size = await generate(file, rows, 'e2e-api');
  expect(size).toBeGreaterThan(10 * 1024 * 1024);
  const body = await readFile(file);
  const response = await request.post('/api/v1/ingest?file=api-12MB.csv', {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    data: body,
    timeout: 280_000,
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({
    status: 'committed',
    bytes: size,
    read: rows,
    inserted: rows,
    rejected: 0,
  });

  const multipart = await request.post('/api/v1/ingest?file=x.csv', {
    headers: { authorization: `Bearer ${token}` },
    multipart: { file: { name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_ROWS) } },
  });
  expect(multipart.status()).toBe(415);
  expect((await request.post('/api/v1/ingest', { data: BAD_ROWS })).status()).toBe(401);
});

test('a viewer may not open the Ingest page; an admin deletes a batch', async ({ page }, testInfo) => {
  await loginAs(page, 'analyst');
  await page.goto('/ingest');
  await page.getByLabel('Telemetry files').setInputFiles({
    name: 'to-delete.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(BAD_ROWS.replaceAll('dev-e2e', 'dev-del')),
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(
    page.getByRole('listitem', { name: 'Upload of to-delete.csv' }).getByTestId('upload-summary'),
  ).toContainText('inserted=2');

  await loginAs(page, 'viewer');
  await page.goto('/ingest');
  await expect(page.getByRole('heading', { name: 'Forbidden' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Upload telemetry' })).toHaveCount(0);

  await loginAs(page, 'admin');
  await page.goto('/ingest');
  const row = page.getByRole('table', { name: 'Ingest batches' }).getByRole('row').filter({ hasText: 'to-delete.csv' });
  await page.screenshot({ path: testInfo.outputPath('ingest-admin-before-delete.png'), fullPage: true });
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: /Delete batch/ }).click();
  await expect(page.getByRole('table', { name: 'Ingest batches' }).getByText('to-delete.csv')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('ingest-admin.png'), fullPage: true });
});
