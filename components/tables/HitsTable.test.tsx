import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HitRow } from '@/lib/queries/hitRowSql';
import { renderAtUrl } from '@/tests/components/renderAtUrl';
import { HitsTable, type HitsTableProps } from './HitsTable';

// The hits table's state lives in the URL: sorting pushes sort/dir and starts from the first page, the page links
// carry the cursor and the filters, the detail link adds `hit` to the current URL.
const hit = (id: string, processFileName: string): HitRow => ({
  id,
  ts: '2026-11-20T12:00:00.000000Z',
  deviceId: `dev-${id}`,
  deviceName: `wks-${id}`,
  localIp: '10.0.0.5',
  localPublicIp: '198.51.100.5',
  remoteIp: '203.0.113.9',
  remotePort: 9001,
  actionType: 'ConnectionSuccess',
  direction: 'outbound',
  processFileName,
  processFolderPath: 'c:\\program files\\tor',
  processSha256: null,
  relayFingerprints: ['ABCDEF0123456789ABCDEF0123456789ABCDEF01'],
  relayNicknames: ['relay1'],
  relayFlags: ['Guard'],
  country: 'de',
  portMatch: true,
  isExit: false,
  viaExitAddress: false,
  confidence: 'high',
  status: 'new',
  precision: 'event',
  summaryEvents: null,
  summaryLastSeen: null,
});

function renderTable(url: string, props: Partial<HitsTableProps> = {}) {
  return renderAtUrl(
    <HitsTable
      rows={[hit('11', 'tor.exe'), hit('12', 'firefox.exe')]}
      total={120}
      sort="ts"
      dir="desc"
      nextCursor="next-cursor"
      prevCursor="prev-cursor"
      tz="utc"
      {...props}
    />,
    url,
  );
}
const hrefOf = (name: string) => screen.getByRole('link', { name }).getAttribute('href');

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('HitsTable', () => {
  it('marks the sorted column and sorts by another through the URL, from the first page, filters kept', () => {
    const view = renderTable('/hits?country=de&after=cursor-1&hit=11');
    expect(screen.getByRole('columnheader', { name: /^Time/ }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /^Process/ }).getAttribute('aria-sort')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Process/ }));
    const url = new URL(view.navigations.at(-1)!.url, 'http://x');
    expect(url.pathname).toBe('/hits');
    expect(Object.fromEntries(url.searchParams)).toEqual({ country: 'de', hit: '11', sort: 'process', dir: 'asc' });
  });

  it('page links carry the cursor and the filters, and close the detail panel', () => {
    renderTable('/hits?country=de&status=new&after=cursor-1&hit=11');
    expect(hrefOf('Next →')).toBe('/hits?country=de&status=new&after=next-cursor');
    expect(hrefOf('← Previous')).toBe('/hits?country=de&status=new&before=prev-cursor');
    expect(hrefOf('First page')).toBe('/hits?country=de&status=new');
  });

  it('on the last page "Next" is not a link', () => {
    renderTable('/hits', { nextCursor: null, prevCursor: null });
    const pages = screen.getByRole('navigation', { name: 'Pages' });
    expect(within(pages).queryAllByRole('link')).toEqual([]);
    expect(within(pages).getByText('Next →').getAttribute('aria-disabled')).toBe('true');
  });

  it('opens a hit by adding `hit` to the current URL', () => {
    renderTable('/hits?process=tor.exe&range=7d');
    const row = screen.getAllByRole('row').find((tr) => tr.getAttribute('data-hit-id') === '12')!;
    expect(within(row).getAllByRole('link')[0].getAttribute('href')).toBe('/hits?process=tor.exe&range=7d&hit=12');
  });

  it('shows the total and the selected row', () => {
    renderTable('/hits?hit=12', { selectedId: '12' });
    expect(screen.getByTestId('hit-total').textContent).toBe('120');
    const selected = screen.getAllByRole('row').filter((tr) => tr.getAttribute('aria-selected') === 'true');
    expect(selected.map((tr) => tr.getAttribute('data-hit-id'))).toEqual(['12']);
  });
});
