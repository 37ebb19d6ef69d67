import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loginAs, torwatchCli } from './login';
import { useSpecServer } from './specServer';

// Relay history from the Tor Project's archives: after `torwatch relays import` of a month of consensuses, the
// Relays page answers ExoneraTor-style with hour precision, and the relay page shows the address timeline.
const ARCHIVE = path.join(
  import.meta.dirname,
  '../tests/fixtures/relay-history/collector/archive/relay-descriptors/consensuses/consensuses-2026-06.tar.xz',
);

useSpecServer('relay-history');

test.beforeAll(() => {
  const result = torwatchCli(['relays', 'import', ARCHIVE]);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('consensuses=714');
});

test('the lookup answers from consensus history, hour by hour, and the relay page shows its address timeline', async ({
  page,
}, testInfo) => {
  await loginAs(page, 'viewer');
  await page.goto('/relays?ip=217.133.96.242&at=2026-06-01T05:12:20');
  const answer = page.getByTestId('lookup-answer');
  await expect(answer).toContainText('Yes — 217.133.96.242 was a Tor relay address at 2026-06-01 05:12:20 UTC');
  await expect(answer).toContainText('consensus history ±1 h');
  const consensus = page.getByTestId('consensus-answer');
  await expect(consensus).toContainText('hold0011x listed in 24 of 24 consensuses on 2026-06-01');
  const hours = consensus.getByRole('list', { name: 'Consensus hours around the time' }).getByRole('listitem');
  await expect(hours.first()).toHaveAttribute('title', /2026-06-01 00:00:00 UTC: listed/);
  await page.screenshot({ path: testInfo.outputPath('relay-history-lookup.png'), fullPage: true });

  await consensus.getByRole('link', { name: 'hold0011x' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'hold0011x' })).toBeVisible();
  const timeline = page.getByRole('list', { name: 'Address timeline' });
  await expect(timeline.getByText('217.133.96.242:443 or')).toBeVisible();
  expect(await timeline.getByTestId('timeline-interval').count()).toBeGreaterThanOrEqual(2);
  await expect(
    page.getByRole('table', { name: 'Address history' }).getByText('consensus history').first(),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('relay-history-timeline.png'), fullPage: true });
});

test('an hour after the run ends, the address is no longer a relay (1 h consensus grace, not 24 h)', async ({
  page,
}) => {
  await loginAs(page, 'viewer');
  // hold0011x's first run on 217.133.96.242 ends at 2026-06-02 10:00 (last listing 09:00 + 1 h)
  await page.goto('/relays?ip=217.133.96.242&at=2026-06-02T13:30:00');
  await expect(page.getByTestId('lookup-answer')).toContainText('No — 217.133.96.242 was not a Tor relay address');
  await expect(page.getByTestId('consensus-answer')).toContainText('listed in 10 of 24 consensuses on 2026-06-02');
});
