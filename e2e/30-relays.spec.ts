import { expect, test } from '@playwright/test';
import { loginAs } from './login';
import { useSpecServer } from './specServer';

// The Relays page: feed status, upload of a relay list (admin), the "was this a relay then?" lookup, search and a
// relay's address history.
useSpecServer('relays'); // no relay data until this spec uploads its list

const FP = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';
const CSV = [
  'Nickname,Fingerprint,EntryAddress,IPAddress,Port,AddressType,Hostname,CountryCode,IsRunning,IPLastChangeDate',
  `"e2eRelay","${FP}","203.0.113.50:9001","203.0.113.50","9001","IPv4","","nl","False","1/15/2026 8:00:00 AM"`,
  `"e2eRelay","${FP}","[2001:db8::50]:443","2001:db8::50","443","IPv6","","nl","False","1/15/2026 8:00:00 AM"`,
  `"broken","${FP}","","203.0.113.999","9001","IPv4","","nl","False",""`,
].join('\r\n');

test('a viewer sees feed status and the stale-data warning, without the upload form', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/relays');
  await expect(page.getByRole('heading', { level: 1, name: 'Relays' })).toBeVisible();
  const feeds = page.getByRole('table', { name: 'Relay feeds' });
  for (const name of ['torrelayips', 'onionoo', 'bulk-exit-list'])
    await expect(feeds.getByText(name, { exact: true })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: /No relay data yet|older than 36 h/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Upload a relay list' })).toHaveCount(0);
});

test('an admin uploads a relay list, looks an address up and opens the relay', async ({ page }, testInfo) => {
  await loginAs(page, 'admin');
  await page.goto('/relays');
  await page
    .getByLabel('Relay file')
    .setInputFiles({ name: 'TorRelayIPs.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('status')).toContainText('TorRelayIPs.csv: imported as snapshot');
  await expect(page.getByRole('status')).toContainText('1 relays, 2 addresses, 1 rejected rows');
  const feeds = page.getByRole('table', { name: 'Relay feeds' });
  await expect(feeds.getByText('import:torrelayips-csv')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'No relay data yet' })).toHaveCount(0);

  await page.getByLabel('IP address').fill('203.0.113.50');
  await page.getByLabel('Time (UTC)').fill('2026-02-01T12:00:00');
  await page.getByRole('button', { name: 'Look up' }).click();
  const answer = page.getByTestId('lookup-answer');
  await expect(answer).toContainText(
    'Yes — 203.0.113.50 was a Tor relay address at 2026-02-01 12:00:00 UTC (relay lists ±24 h, consensus history ±1 h).',
  );
  await expect(answer.getByRole('link', { name: 'e2eRelay' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Relay search results' }).getByText(FP)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('relays.png'), fullPage: true });

  await page.goto('/relays?ip=203.0.113.50&at=2025-12-01T00:00:00');
  await expect(page.getByTestId('lookup-answer')).toContainText(
    'No — 203.0.113.50 was not a Tor relay address at 2025-12-01 00:00:00 UTC',
  );
  await expect(page.getByTestId('lookup-answer')).toContainText('Listed at other times');

  await page.goto('/relays?q=e2eRel');
  await page.getByRole('table', { name: 'Relay search results' }).getByRole('link', { name: 'e2eRelay' }).click();
  await expect(page).toHaveURL(new RegExp(`/relays/${FP}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'e2eRelay' })).toBeVisible();
  const history = page.getByRole('table', { name: 'Address history' });
  await expect(history.getByText('203.0.113.50:9001')).toBeVisible();
  await expect(history.getByText('[2001:db8::50]:443')).toBeVisible();
  await expect(history.getByText('2026-01-15 08:00:00 UTC').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('relay-detail.png'), fullPage: true });
});

test('an invalid lookup address gets a clear message', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/relays?ip=10.0.0.300');
  await expect(page.getByRole('alert').filter({ hasText: '"10.0.0.300" is not an IP address.' })).toBeVisible();
});

test("an admin changes a schedule, a feed's URL, and disables a feed", async ({ page }, testInfo) => {
  await loginAs(page, 'admin');
  await page.goto('/settings/schedules');
  await expect(page.getByRole('heading', { level: 1, name: 'Feeds & schedules' })).toBeVisible();
  const onionoo = page.getByRole('form', { name: 'Schedule of relays-fetch-onionoo' });
  await onionoo.getByLabel('Cron expression for relays-fetch-onionoo').fill('61 * * * *');
  await onionoo.getByRole('button', { name: 'Save' }).click();
  await expect(onionoo.getByRole('alert')).toContainText('"61 * * * *" is not a valid cron expression');
  await onionoo.getByLabel('Cron expression for relays-fetch-onionoo').fill('45 */2 * * *');
  await onionoo.getByRole('button', { name: 'Save' }).click();
  await expect(onionoo.getByRole('status')).toContainText('relays-fetch-onionoo runs on "45 */2 * * *" (UTC).');
  // A mirror for a site without direct access; a URL that cannot be fetched is refused; Default restores.
  const onionooUrl = page.getByRole('form', { name: 'URL of onionoo' });
  await onionooUrl.getByLabel('URL for onionoo').fill('ftp://mirror.corp.example/details');
  await onionooUrl.getByRole('button', { name: 'Save' }).click();
  await expect(onionooUrl.getByRole('alert')).toContainText(
    'Only http:// and https:// URLs can be fetched (not ftp:).',
  );
  await onionooUrl.getByLabel('URL for onionoo').fill('https://mirror.corp.example/onionoo/details');
  await onionooUrl.getByRole('button', { name: 'Save' }).click();
  await expect(onionooUrl.getByRole('status')).toContainText(
    'onionoo fetches from https://mirror.corp.example/onionoo/details.',
  );
  await page.reload();
  await expect(page.getByLabel('URL for onionoo')).toHaveValue('https://mirror.corp.example/onionoo/details');
  await page.getByRole('form', { name: 'URL of onionoo' }).getByRole('button', { name: 'Default' }).click();
  await expect(page.getByRole('form', { name: 'URL of onionoo' }).getByRole('status')).toContainText(
    'onionoo fetches from https://onionoo.torproject.org/details.',
  );
  await page.getByRole('form', { name: 'Disable bulk-exit-list' }).getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('form', { name: 'Enable bulk-exit-list' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('schedules.png'), fullPage: true });
  await page.goto('/relays');
  const feeds = page.getByRole('table', { name: 'Relay feeds' });
  await expect(feeds.getByRole('row').filter({ hasText: 'bulk-exit-list' })).toContainText('(disabled)');
  await expect(feeds.getByRole('row').filter({ hasText: 'onionoo' })).toContainText('45 */2 * * *');
});
