import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderAtUrl } from '@/tests/components/renderAtUrl';
import { HitFilterBar } from './HitFilterBar';

// The filter bar keeps every filter in the URL: pickers add values, chips remove them, the search box writes `q` after
// a pause, and any change starts again from the first page (the cursor goes).
const choices = {
  countries: ['de', 'nl', 'se'],
  actions: ['ConnectionSuccess'],
  processes: ['tor.exe', 'firefox.exe'],
};
const picker = (name: string) => within(screen.getByRole('region', { name: 'Filters' })).getByLabelText(name);

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('HitFilterBar', () => {
  it('adds a picked value to the URL, several per field, and drops the page cursor', () => {
    const view = renderAtUrl(<HitFilterBar choices={choices} />, '/hits?range=7d&after=cursor-1');
    fireEvent.change(picker('Country'), { target: { value: 'nl' } });
    expect(view.navigations.at(-1)).toEqual({ method: 'push', url: '/hits?range=7d&country=nl' });
    fireEvent.change(picker('Country'), { target: { value: 'se' } });
    expect(view.params().getAll('country')).toEqual(['nl', 'se']);
    // A value already chosen cannot be picked twice.
    expect(within(picker('Country')).getByRole('option', { name: /^NL/ })).toHaveProperty('disabled', true);
    expect(screen.getByRole('list', { name: 'Active filters' }).textContent).toContain('Country: NL');
  });

  it('shows a chip per value in the URL and removes only the one clicked', () => {
    const view = renderAtUrl(
      <HitFilterBar choices={choices} />,
      '/hits?country=de&country=nl&status=new&sort=process&after=cursor-1',
    );
    const chips = screen.getByRole('list', { name: 'Active filters' });
    expect(
      within(chips)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      expect.stringContaining('Country: DE'),
      expect.stringContaining('Country: NL'),
      expect.stringContaining('Status: new'),
      'Clear filters',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove Country de' }));
    expect(view.navigations.at(-1)).toEqual({ method: 'push', url: '/hits?status=new&sort=process&country=nl' });
  });

  it('writes the search text to `q` only after typing pauses, replacing the history entry', () => {
    vi.useFakeTimers();
    const view = renderAtUrl(<HitFilterBar choices={choices} />, '/hits?range=24h');
    const search = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: 'wks' } });
    act(() => vi.advanceTimersByTime(200));
    fireEvent.change(search, { target: { value: 'wks-005 ' } });
    act(() => vi.advanceTimersByTime(200));
    expect(view.navigations).toEqual([]);
    act(() => vi.advanceTimersByTime(200));
    expect(view.navigations).toEqual([{ method: 'replace', url: '/hits?range=24h&q=wks-005' }]);
    fireEvent.change(search, { target: { value: '  ' } });
    act(() => vi.advanceTimersByTime(400));
    expect(view.navigations.at(-1)).toEqual({ method: 'replace', url: '/hits?range=24h' });
  });

  it('sets and clears the yes/no filters', () => {
    const view = renderAtUrl(<HitFilterBar choices={choices} />, '/hits');
    fireEvent.change(picker('Port match'), { target: { value: 'false' } });
    expect(view.params().get('port')).toBe('false');
    expect(picker('Port match')).toHaveProperty('value', 'false');
    fireEvent.change(picker('Port match'), { target: { value: '' } });
    expect(view.params().has('port')).toBe(false);
  });

  it('"Clear filters" removes every filter and the search text, and keeps the range and the sort', () => {
    const view = renderAtUrl(
      <HitFilterBar choices={choices} />,
      '/hits?range=7d&sort=process&dir=asc&country=de&process=tor.exe&q=wks&port=true&exit=false&device=d1',
    );
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveProperty('value', 'wks');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(view.navigations.at(-1)?.url).toBe('/hits?range=7d&sort=process&dir=asc');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveProperty('value', '');
    expect(screen.queryByRole('list', { name: 'Active filters' })).toBeNull();
  });
});
