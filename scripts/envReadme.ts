import path from 'node:path';

// Where README.md's configuration table lives: between these two markers, generated from lib/env.ts.
export const README_PATH = path.join(import.meta.dirname, '..', 'README.md');
const START = '<!-- env-table: generated from lib/env.ts by `npm run docs:env` -->';
const END = '<!-- /env-table -->';

/** The table now in the README (between the markers), or null when the markers are missing. */
export function readEnvTable(readme: string): string | null {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? null : readme.slice(start + START.length, end).trim();
}

/** The README with `table` between the markers. */
export function replaceEnvTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}
