import { withTransaction } from './withTransaction';

/**
 * Runs a read-only query through a server-side cursor and hands the rows over in batches, so an export of millions of
 * rows never sits in memory. Returns the row count.
 */
export async function streamQuery<T>(
  sql: string,
  params: unknown[],
  onRows: (rows: T[]) => void | Promise<void>,
  batchSize = 5000,
): Promise<number> {
  let total = 0;
  return withTransaction(
    async (client) => {
      await client.query(`DECLARE stream_cursor NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const { rows } = await client.query(`FETCH ${Number(batchSize)} FROM stream_cursor`);
        if (!rows.length) break;
        total += rows.length;
        await onRows(rows as T[]);
      }
      return total;
    },
    { readOnly: true },
  );
}
