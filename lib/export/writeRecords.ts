import { csvRow } from '@/lib/export/csv';
import { COMPAT_COLUMNS, HIT_COLUMNS } from '@/lib/queries/hitColumns';
import { listCompatHits } from '@/lib/queries/compatHitsSql';
import { listHits, type HitRange } from '@/lib/queries/listHits';

export type HitFormat = 'csv' | 'json';

/**
 * Streams hits (default or --compat) as CSV (formula-safe, header row) or a JSON array to `write`, which returns a
 * promise that resolves when the sink can take more (backpressure). Shared by the CLI and GET /api/v1/hits.
 */
export async function writeHits(
  options: HitRange & { format: HitFormat; compat: boolean },
  write: (chunk: string) => Promise<void>,
): Promise<number> {
  const columns: readonly string[] = options.compat ? COMPAT_COLUMNS : HIT_COLUMNS;
  let first = true;
  await write(options.format === 'csv' ? csvRow(columns) : '[');
  const onRows = async (rows: Array<Record<string, unknown>>) => {
    let chunk = '';
    for (const row of rows) {
      if (options.format === 'csv') chunk += csvRow(columns.map((c) => row[c] as never));
      else {
        chunk += `${first ? '\n' : ',\n'}${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))}`;
        first = false;
      }
    }
    await write(chunk);
  };
  const count = options.compat ? await listCompatHits(options, onRows) : await listHits(options, onRows);
  if (options.format === 'json') await write(first ? ']\n' : '\n]\n');
  return count;
}
