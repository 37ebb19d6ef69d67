import type pg from 'pg';
import type { IngestReject } from './types';

// The ingest_batch row's life: opened (status running) in its own short transaction, so the batch is visible while it
// loads; committed together with its data; marked failed/refused afterwards when the data transaction is gone.
//
// A running batch is owned by the connection that loads it, through a session advisory lock on (LOCK_SPACE, id).
// A killed process drops its connection: PostgreSQL rolls the data back and releases the lock, and the next ingest
// (or `torwatch serve` at start) marks the orphaned row failed — nothing of it was stored, so ingesting the file
// again completes it, with no duplicates.

const LOCK_SPACE = 0x7057; // 'pW': ingest batches

/**
 * One batch at a time writes into network_event and device: two batches inserting the same events (overlapping
 * files at once) in different orders would each wait for the other's uncommitted rows, and PostgreSQL would abort
 * one as a deadlock. Held until the batch's transaction ends, on (LOCK_SPACE, 0) — no batch has id 0. Returns false
 * when `wait` is false and another batch holds it.
 */
export async function lockEventWriter(client: pg.ClientBase, wait: boolean): Promise<boolean> {
  if (wait) {
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_SPACE]);
    return true;
  }
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, 0) AS locked', [
    LOCK_SPACE,
  ]);
  return rows[0].locked;
}

/** Reject rows stored per batch; the batch keeps the true count. */
export const STORED_REJECTS = 1000;

export const INTERRUPTED =
  'interrupted: the ingest stopped before it committed, nothing of this batch was stored; ingest the file again';

export async function openBatch(
  client: pg.PoolClient,
  row: { source: string; file: string; via: string; actor: string | null },
): Promise<number> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO ingest_batch (source, file_name, via, actor, status) VALUES ($1, $2, $3, $4, 'running') RETURNING id`,
      [row.source, row.file, row.via, row.actor],
    );
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_SPACE, rows[0].id]);
    await client.query('COMMIT');
    return rows[0].id;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

export async function releaseBatch(client: pg.PoolClient, batchId: number): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_SPACE, batchId]);
}

export interface BatchOutcome {
  status: 'committed' | 'failed' | 'refused';
  source: string;
  bytes: number;
  read: number;
  inserted: number;
  /** Of `inserted`, the network events (the rest are DeviceInfo records). */
  eventsInserted: number;
  duplicate: number;
  rejected: number;
  skipped: number;
  error: string | null;
  durationMs: number;
}

/** Records the outcome (on the data transaction's client for a commit, else on any connection). */
export async function finishBatch(db: pg.ClientBase | pg.Pool, batchId: number, outcome: BatchOutcome): Promise<void> {
  await db.query(
    `UPDATE ingest_batch SET status = $2, source = $3, bytes = $4, rows_read = $5, inserted = $6, duplicate = $7,
       rejected = $8, skipped = $9, error = $10, duration_ms = $11, events_inserted = $12, finished_at = now(),
       matched_at = NULL, events_at = CASE WHEN $2 = 'committed' THEN now() END
     WHERE id = $1`,
    [
      batchId,
      outcome.status,
      outcome.source,
      outcome.bytes,
      outcome.read,
      outcome.inserted,
      outcome.duplicate,
      outcome.rejected,
      outcome.skipped,
      outcome.error,
      outcome.durationMs,
      outcome.eventsInserted,
    ],
  );
}

/** Stores the first STORED_REJECTS rejects of a batch. */
export async function storeRejects(
  db: pg.ClientBase | pg.Pool,
  batchId: number,
  rejects: IngestReject[],
): Promise<void> {
  const kept = rejects.slice(0, STORED_REJECTS);
  if (kept.length === 0) return;
  await db.query(
    `INSERT INTO ingest_reject (batch_id, line, field, reason)
     SELECT $1, line, field, reason FROM unnest($2::int[], $3::text[], $4::text[]) AS r(line, field, reason)`,
    [batchId, kept.map((r) => r.line), kept.map((r) => noNul(r.field)), kept.map((r) => noNul(r.reason))],
  );
}

/** Marks running batches whose loader is gone (its advisory lock is free) as failed; returns their ids. */
export async function recoverInterruptedBatches(db: pg.Pool): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE ingest_batch SET status = 'failed', error = $2, finished_at = now()
     WHERE status = 'running' AND pg_try_advisory_xact_lock($1, id) RETURNING id`,
    [LOCK_SPACE, INTERRUPTED],
  );
  return rows.map((r) => r.id);
}

function noNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\\0') : text;
}
