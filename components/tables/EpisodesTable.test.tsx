import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpisodeRow } from '@/lib/queries/listEpisodesPage';
import { renderAtUrl } from '@/tests/components/renderAtUrl';
import { EpisodesTable } from './EpisodesTable';

// The Episodes table shares the hits table's machinery (ServerTable): state in the URL, pages that keep the filter.
// Its own: a row's time expands it (`episode` in the URL) and collapses it again; paging closes it.
const episode = (id: string): EpisodeRow => ({
  id,
  deviceId: `dev-${id}`,
  deviceName: `wks-${id}`,
  processFileName: null,
  firstSeen: '2026-11-19T12:00:00.000000Z',
  lastSeen: '2026-11-20T12:00:00.000000Z',
  hitCount: 5,
  openHits: 2,
  relayFingerprints: ['ABCDEF0123456789ABCDEF0123456789ABCDEF01'],
  countryCodes: ['de', 'nl'],
  ports: [9001],
  maxConfidence: 'high',
  isExit: false,
  status: 'new',
  decidedStatus: null,
});

function renderTable(url: string, expandedId?: string, rows = [episode('7'), episode('8')]) {
  return renderAtUrl(
    <EpisodesTable
      rows={rows}
      total={1}
      sort="lastSeen"
      dir="desc"
      nextCursor="next-cursor"
      prevCursor={null}
      tz="utc"
      expandedId={expandedId}
      expanded={<p>the hits of episode {expandedId}</p>}
    />,
    url,
  );
}
const rowOf = (id: string) => screen.getAllByRole('row').find((tr) => tr.getAttribute('data-episode-id') === id)!;

afterEach(cleanup);

describe('EpisodesTable', () => {
  it('expands a row through the URL and collapses the expanded one', () => {
    renderTable('/episodes?device=dev-7&episode=7', '7');
    expect(within(rowOf('8')).getByRole('link', { name: 'Expand episode 8' }).getAttribute('href')).toBe(
      '/episodes?device=dev-7&episode=8',
    );
    expect(within(rowOf('7')).getByRole('link', { name: 'Collapse episode 7' }).getAttribute('href')).toBe(
      '/episodes?device=dev-7',
    );
    expect(screen.getByText('the hits of episode 7')).toBeTruthy();
    expect(rowOf('7').getAttribute('aria-selected')).toBe('true');
  });

  it('pages keep the filter and close the expanded row; the total names episodes', () => {
    renderTable('/episodes?status=new&episode=7&after=c1', '7');
    expect(screen.getByRole('link', { name: 'Next →' }).getAttribute('href')).toBe(
      '/episodes?status=new&after=next-cursor',
    );
    expect(screen.getByRole('link', { name: 'First page' }).getAttribute('href')).toBe('/episodes?status=new');
    expect(screen.getByTestId('episode-total').parentElement!.textContent).toMatch(/^1 episode/);
    expect(screen.getByRole('checkbox', { name: 'Select all episodes on this page' })).toBeTruthy();
  });

  it('lists four country codes and "+N" for the rest, every name in the tooltip; five fit as they are', () => {
    const many = { ...episode('7'), countryCodes: ['at', 'ch', 'de', 'fi', 'fr', 'nl', 'us'] };
    const five = { ...episode('8'), countryCodes: ['at', 'ch', 'de', 'fi', 'fr'] };
    renderTable('/episodes', undefined, [many, five]);
    const cell = within(rowOf('7')).getByTitle(/Austria/);
    expect(cell.textContent).toBe('AT CH DE FI +3');
    expect(cell.getAttribute('title')).toMatch(/United States/);
    expect(within(rowOf('8')).getByTitle(/Austria/).textContent).toBe('AT CH DE FI FR');
  });
});
