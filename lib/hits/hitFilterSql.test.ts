import { describe, expect, it } from 'vitest';
import { parseHitFilter } from './filters';
import { hitFilterSql } from './hitFilterSql';

const now = new Date('2026-11-20T12:00:00Z');

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
