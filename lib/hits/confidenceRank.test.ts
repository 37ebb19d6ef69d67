import { describe, expect, it } from 'vitest';
import { confidenceRankSql } from './confidenceRank';

describe('confidenceRankSql', () => {
  it('ranks high 3, medium 2, low 1 and anything else 1', () => {
    expect(confidenceRankSql('h.confidence')).toBe(
      "CASE h.confidence WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 1 END",
    );
  });
});
