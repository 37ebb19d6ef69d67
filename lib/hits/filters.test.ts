import { describe, expect, it } from 'vitest';
import { hasNarrowingFilter, LIST_FILTERS, parseHitFilter, serialiseHitFilter } from './filters';

const now = new Date('2026-11-20T12:00:00Z');

describe('parseHitFilter', () => {
  it('defaults to the last 30 days and no narrowing', () => {
    const filter = parseHitFilter(new URLSearchParams(), now);
    expect(filter.range.kind).toBe('30d');
    expect(filter.range.to).toEqual(now);
    expect(hasNarrowingFilter(filter)).toBe(false);
  });

  it('reads repeated list params, flags, free text and a custom range', () => {
    const filter = parseHitFilter(
      new URLSearchParams(
        'country=DE&country=fr&process=tor.exe&direction=outbound&port=true&exit=false&q=%20lab%20&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
      ),
      now,
    );
    expect(filter).toMatchObject({
      countries: ['de', 'fr'],
      processes: ['tor.exe'],
      directions: ['outbound'],
      portMatch: true,
      exit: false,
      q: 'lab',
    });
    expect(filter.range).toEqual({
      kind: 'custom',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-02T00:00:00Z'),
    });
  });

  it('accepts a Next.js searchParams record', () => {
    const filter = parseHitFilter({ status: ['new', 'benign'], confidence: 'high', range: '7d' }, now);
    expect(filter.statuses).toEqual(['new', 'benign']);
    expect(filter.confidences).toEqual(['high']);
    expect(filter.range.kind).toBe('7d');
  });

  it('names the field of bad input', () => {
    expect(() => parseHitFilter(new URLSearchParams('from=yesterday'), now)).toThrow(/^from: not an ISO 8601 date/);
    expect(() => parseHitFilter(new URLSearchParams('status=closed'), now)).toThrow(/^status:/);
    expect(() => parseHitFilter(new URLSearchParams('country=germany'), now)).toThrow(/^country: a two-letter/);
    expect(() => parseHitFilter(new URLSearchParams('range=custom'), now)).toThrow('from: required for a custom range');
    expect(() => parseHitFilter(new URLSearchParams('from=2026-11-02&to=2026-11-01'), now)).toThrow(
      'to: must be after from',
    );
    expect(() => parseHitFilter(new URLSearchParams('port=yes'), now)).toThrow(/^port:/);
  });

  it('round-trips through serialiseHitFilter', () => {
    const params = new URLSearchParams(
      'range=7d&country=de&process=%3Cscript%3E.exe&device=d1&action=ConnectionSuccess&confidence=high&status=new&port=false&exit=true&q=x&tz=local&relay=' +
        'A'.repeat(40),
    );
    const filter = parseHitFilter(params, now);
    expect(parseHitFilter(serialiseHitFilter(filter), now)).toEqual(filter);
    const custom = parseHitFilter(new URLSearchParams('from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z'), now);
    expect(parseHitFilter(serialiseHitFilter(custom), now)).toEqual(custom);
  });
});

describe('LIST_FILTERS', () => {
  it('drives every list filter: each URL key lands in its HitFilter field and back', () => {
    const query = LIST_FILTERS.map(
      (f) => `${f.key}=${'values' in f ? f.values[0] : f.key === 'country' ? 'de' : 'x'}`,
    ).join('&');
    const filter = parseHitFilter(new URLSearchParams(query), now);
    for (const f of LIST_FILTERS) expect(filter[f.field], f.key).toHaveLength(1);
    expect(hasNarrowingFilter(filter)).toBe(true);
    expect(serialiseHitFilter(filter).toString()).toBe(query);
  });
});
