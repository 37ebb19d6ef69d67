import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | boolean | null | string[];

/**
 * Loads rows into a table by `COPY … FROM STDIN` (text format), the bulk path (docs/architecture.md §2.1): faster than
 * parameter arrays for thousands of rows. Values are escaped, never interpreted: `\N` is null.
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  rows: CopyValue[][],
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  const chunks = function* () {
    const size = 2000;
    for (let i = 0; i < rows.length; i += size) {
      yield rows
        .slice(i, i + size)
        .map((row) => `${row.map(copyText).join('\t')}\n`)
        .join('');
    }
  };
  await pipeline(Readable.from(chunks()), stream);
}

function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (Array.isArray(value)) return escape(`{${value.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  return escape(String(value));
}

function escape(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
