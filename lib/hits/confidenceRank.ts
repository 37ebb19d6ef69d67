import { CONFIDENCES } from './hitValues';

/**
 * SQL ranking a confidence so that higher is stronger (high 3, medium 2, low 1 — and 1 for anything else): for
 * sorting by confidence and for "at or above a webhook's minimum". `expression` is SQL text (a column or a parameter
 * placeholder), never a user value.
 */
export function confidenceRankSql(expression: string): string {
  const cases = CONFIDENCES.map((confidence, i) => `WHEN '${confidence}' THEN ${CONFIDENCES.length - i}`).join(' ');
  return `CASE ${expression} ${cases} ELSE 1 END`;
}
