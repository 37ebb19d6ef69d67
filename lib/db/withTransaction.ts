import type pg from 'pg';
import { getPool } from './pool';

/** Returned by a transaction's work to roll back instead of committing, handing `value` to the caller. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

export interface TransactionOptions<C extends pg.ClientBase> {
  /** Run on this connection (kept open afterwards) instead of one taken from the pool and released. */
  client?: C;
  readOnly?: boolean;
}

/**
 * Runs `work` in one transaction: BEGIN, COMMIT when it returns, ROLLBACK when it throws (the error is rethrown) or
 * returns a Rollback. The one place that writes BEGIN/COMMIT/ROLLBACK for a unit of work; a connection from the pool
 * goes back to it either way.
 */
export async function withTransaction<T, C extends pg.ClientBase = pg.PoolClient>(
  work: (client: C) => Promise<T | Rollback<T>>,
  options: TransactionOptions<C> = {},
): Promise<T> {
  const pooled = options.client ? null : await getPool().connect();
  const client = options.client ?? (pooled as unknown as C);
  try {
    await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
    const result = await work(client);
    if (result instanceof Rollback) {
      await client.query('ROLLBACK');
      return result.value;
    }
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    pooled?.release();
  }
}
