import { csvRow, type CsvValue } from './csv';

export type RecordFormat = 'csv' | 'json';

/** Where text goes: the returned promise resolves when the sink can take more (backpressure). */
export type TextSink = (chunk: string) => Promise<void>;

/**
 * Streams records as CSV (formula-safe, header row) or as a JSON array (one object per line, keys in column order) to
 * `write`, awaiting it after every batch so a slow reader slows the query instead of filling memory. `source` hands
 * over the records in batches (a database cursor) and returns their count.
 */
export async function writeRecords<C extends string>(
  columns: readonly C[],
  format: RecordFormat,
  source: (onRows: (rows: ReadonlyArray<Record<C, unknown>>) => Promise<void>) => Promise<number>,
  write: TextSink,
): Promise<number> {
  let first = true;
  await write(format === 'csv' ? csvRow(columns) : '[');
  const count = await source(async (rows) => {
    let chunk = '';
    for (const row of rows) {
      if (format === 'csv') chunk += csvRow(columns.map((c) => row[c] as CsvValue));
      else {
        chunk += `${first ? '\n' : ',\n'}${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))}`;
        first = false;
      }
    }
    await write(chunk);
  });
  if (format === 'json') await write(first ? ']\n' : '\n]\n');
  return count;
}
