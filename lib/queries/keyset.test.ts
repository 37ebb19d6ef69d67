import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetOrderSql, keysetPage, parsePageRequest, type SortKey } from './keyset';

const KEYS = {
  ts: { sql: 'hit.ts', cast: 'timestamptz' },
  port: { sql: 'hit.remote_port', cast: 'int' },
} satisfies Record<string, SortKey>;
const rows = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => ({ id: String(from + i), sortKey: `v${from + i}` }));

describe('keyset paging', () => {
  it('reads sort, direction, size and one cursor from the URL, refusing what the allowlist lacks', () => {
    const after = encodeCursor({ value: '2026-11-20 12:00:00.123456+00', id: '42' });
    expect(parsePageRequest(new URLSearchParams(`sort=port&dir=asc&size=25&after=${after}`), KEYS, 'ts')).toEqual({
      sort: 'port',
      dir: 'asc',
      limit: 25,
      after: { value: '2026-11-20 12:00:00.123456+00', id: '42' },
      before: undefined,
    });
    expect(parsePageRequest({}, KEYS, 'ts')).toMatchObject({ sort: 'ts', dir: 'desc', limit: 50 });
    expect(() => parsePageRequest({ sort: 'hit.id; DROP TABLE hit' }, KEYS, 'ts')).toThrow('sort: one of ts, port');
    expect(() => parsePageRequest({ size: '1000' }, KEYS, 'ts')).toThrow('size: one of 25, 50, 100, 200');
    expect(() => decodeCursor('not-a-cursor', 'after')).toThrow('after: not a page cursor from this table');
  });

  it('orders by the allowlisted expression with the table id as tie-breaker, the cursor as parameters', () => {
    const page = parsePageRequest({ sort: 'port', after: encodeCursor({ value: '9001', id: '7' }) }, KEYS, 'ts');
    const order = keysetOrderSql('episode', KEYS, page);
    expect(order.orderBy.sql).toBe('hit.remote_port DESC, episode.id DESC');
    expect(order.keyset.sql).toBe('(hit.remote_port, episode.id) < (?::int, ?::bigint)');
    expect(order.keyset.values).toEqual(['9001', '7']);
    // "Previous page" reads backwards from the first row, in the opposite order.
    const back = keysetOrderSql('hit', KEYS, { ...page, after: undefined, before: { value: '80', id: '3' } });
    expect([back.orderBy.sql, back.keyset.sql, back.reverse]).toEqual([
      'hit.remote_port ASC, hit.id ASC',
      '(hit.remote_port, hit.id) > (?::int, ?::bigint)',
      true,
    ]);
  });

  it('turns limit + 1 rows into a page with cursors on its first and last row', () => {
    const first = keysetPage(rows(4), { sort: 'ts', dir: 'desc', limit: 3 }, { reverse: false });
    expect(first.rows.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(first.rows[0]).not.toHaveProperty('sortKey');
    expect(first.prevCursor).toBeNull();
    expect(decodeCursor(first.nextCursor!, 'after')).toEqual({ value: 'v3', id: '3' });
    // The last page forward: no next.
    const last = keysetPage(
      rows(2, 4),
      { sort: 'ts', dir: 'desc', limit: 3, after: { value: 'v3', id: '3' } },
      {
        reverse: false,
      },
    );
    expect([last.nextCursor, decodeCursor(last.prevCursor!, 'before')]).toEqual([null, { value: 'v4', id: '4' }]);
    // Walking back, rows come in reverse and are put in order; more rows mean a previous page exists.
    const back = keysetPage(
      rows(4).reverse(),
      { sort: 'ts', dir: 'desc', limit: 3, before: { value: 'v5', id: '5' } },
      {
        reverse: true,
      },
    );
    expect(back.rows.map((r) => r.id)).toEqual(['2', '3', '4']);
    expect(decodeCursor(back.prevCursor!, 'before')).toEqual({ value: 'v2', id: '2' });
    expect(decodeCursor(back.nextCursor!, 'after')).toEqual({ value: 'v4', id: '4' });
  });
});
