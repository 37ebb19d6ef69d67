import { describe, expect, it } from 'vitest';
import { hasNarrowingFilter, hitFilterSql, parseHitFilter, serialiseHitFilter } from './filters';

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

describe('hitFilterSql', () => {
  it('puts every value in a parameter, never in the SQL text', () => {
    const filter = parseHitFilter(
      new URLSearchParams("country=de&process=x'; DROP TABLE hit; --&q=50%_off&port=true"),
      now,
    );
    const sql = hitFilterSql(filter);
    expect(sql.text).not.toContain('DROP');
    expect(sql.text).toContain('process_file_name = ANY($4::text[])');
    expect(sql.values).toContainEqual(["x'; DROP TABLE hit; --"]);
    expect(sql.values).toContain('%50\\%\\_off%'); // LIKE wildcards in free text are literal
    expect(sql.values).toContain(true);
  });

  it('is valid evidence, the time range and no suppressed hits without narrowing', () => {
    const filter = parseHitFilter(new URLSearchParams(), now);
    expect(hitFilterSql(filter).text).toBe("evidence_valid AND ts >= $1 AND ts < $2 AND status <> 'suppressed'");
    expect(hitFilterSql(filter, { withoutRange: true }).text).toBe("evidence_valid AND status <> 'suppressed'");
    // Suppressed hits appear only when the status filter asks for them.
    expect(hitFilterSql(parseHitFilter(new URLSearchParams('status=suppressed'), now)).text).toBe(
      'evidence_valid AND ts >= $1 AND ts < $2 AND status = ANY($3::text[])',
    );
  });

  it('matches hits without a country with "-"', () => {
    const sql = hitFilterSql(parseHitFilter(new URLSearchParams('country=-'), now), { withoutRange: true });
    expect(sql.text).toBe("evidence_valid AND (false OR country IS NULL) AND status <> 'suppressed'");
  });
});
