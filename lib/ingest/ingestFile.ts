import type pg from 'pg';
import { getPool } from '@/lib/db/client';
import { sendJob } from '@/lib/jobs/worker';
import { CopyValueError, deviceCopyRow, eventCopyRow } from './copyText';
import { finishBatch, openBatch, recoverInterruptedBatches, releaseBatch, storeRejects, STORED_REJECTS, type BatchOutcome } from './ingestBatchRow';
import { parseTelemetry } from './parseTelemetry';
import { mergeStaging, StagingCopy } from './staging';
import { IngestFormatError, type IngestReject, type TelemetrySource } from './types';

export interface IngestOptions {
  /** The name in messages and in the batch list. */
  file: string;
  source?: TelemetrySource | 'auto';
  /** Any reject refuses the whole file (nothing committed). */
  strict?: boolean;
  via: 'cli' | 'upload' | 'api' | 'demo';
  actor?: string;
  /** Raw bytes read so far and rows parsed so far, after each chunk. */
  onProgress?: (bytes: number, rows: number) => void;
  /** Queue an incremental match after the commit (default true). */
  queueMatch?: boolean;
}

export interface IngestSummary {
  batchId: number;
  file: string;
  source: TelemetrySource | 'auto';
  bytes: number;
  read: number;
  inserted: number;
  duplicate: number;
  rejected: number;
  skipped: number;
  /** The first SUMMARY_REJECTS rejects. */
  rejects: IngestReject[];
  status: 'committed' | 'failed' | 'refused';
  error?: string;
  durationMs: number;
}

export const SUMMARY_REJECTS = 100;

/**
 * Streams one telemetry file into the database as one batch, atomically: COPY into a staging table, one set-based
 * insert that skips duplicates, devices upserted, the batch marked committed — all in one transaction. A file that
 * cannot be read (IngestFormatError) or, with `strict`, has any reject is `refused`; any other error `failed`;
 * neither leaves a row of the batch behind.
 */
export async function ingestFile(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>, options: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const pool = getPool();
  await recoverInterruptedBatches(pool);
  const client = await pool.connect();
  const requested = options.source ?? 'auto';
  let batchId: number;
  try {
    batchId = await openBatch(client, { source: requested, file: options.file, via: options.via, actor: options.actor ?? null });
  } catch (error) {
    client.release();
    throw error;
  }
  const counts = { source: requested as TelemetrySource | 'auto', bytes: 0, read: 0, rejected: 0, skipped: 0, staged: 0 };
  const rejects: IngestReject[] = [];
  const outcome = (status: BatchOutcome['status'], inserted: number, error: string | null): BatchOutcome => ({
    status, source: counts.source, bytes: counts.bytes, read: counts.read, inserted,
    // Duplicates are only known once the insert ran, i.e. for a committed batch.
    duplicate: status === 'committed' ? counts.staged - inserted : 0,
    rejected: counts.rejected, skipped: counts.skipped, error, durationMs: Math.round(performance.now() - started),
  });
  let inTransaction = false;
  let copy: StagingCopy | null = null;
  try {
    await client.query('BEGIN');
    inTransaction = true;
    copy = await StagingCopy.open(client);
    const reject = (r: IngestReject) => {
      counts.rejected++;
      if (rejects.length < STORED_REJECTS) rejects.push(r);
    };
    for await (const chunk of parseTelemetry(countBytes(input, counts), { file: options.file, source: requested })) {
      counts.source = chunk.source;
      counts.read += chunk.rowsRead;
      counts.skipped += chunk.skipped;
      for (const r of chunk.rejects) reject(r);
      let text = '';
      for (const event of chunk.events) {
        try {
          text += eventCopyRow(event);
          counts.staged++;
        } catch (error) {
          if (!(error instanceof CopyValueError)) throw error;
          reject({ line: event.line, field: error.field, reason: error.message });
        }
      }
      for (const device of chunk.devices) {
        try {
          text += deviceCopyRow(device);
          counts.staged++;
        } catch (error) {
          if (!(error instanceof CopyValueError)) throw error;
          reject({ line: device.line, field: error.field, reason: error.message });
        }
      }
      await copy.write(text);
      options.onProgress?.(counts.bytes, counts.read);
    }
    await copy.finish();
    copy = null;
    rejects.sort((a, b) => a.line - b.line);

    if (options.strict && counts.rejected > 0) {
      await client.query('ROLLBACK');
      inTransaction = false;
      const refusal = `--strict: ${counts.rejected} row(s) rejected, nothing committed`;
      await storeRejects(client, batchId, rejects);
      await finishBatch(client, batchId, outcome('refused', 0, refusal));
      return summary(batchId, options.file, outcome('refused', 0, refusal), rejects);
    }
    const merged = await mergeStaging(client, batchId);
    const done = outcome('committed', merged.eventsInserted + merged.devicesInserted, null);
    await storeRejects(client, batchId, rejects);
    await finishBatch(client, batchId, done);
    await client.query('COMMIT');
    inTransaction = false;
    if (options.queueMatch !== false) await queueMatch();
    return summary(batchId, options.file, done, rejects);
  } catch (error) {
    await rollback(client, copy, error as Error, inTransaction);
    const status = error instanceof IngestFormatError ? 'refused' : 'failed';
    const message = error instanceof Error ? error.message : String(error);
    const failed = outcome(status, 0, message);
    await storeRejects(pool, batchId, rejects);
    await finishBatch(pool, batchId, failed);
    return summary(batchId, options.file, failed, rejects);
  } finally {
    await unlockAndRelease(client, batchId);
  }
}

/** Ends a COPY in progress (CopyFail) and rolls back; a connection that cannot do that is dropped by unlockAndRelease. */
async function rollback(client: pg.PoolClient, copy: StagingCopy | null, reason: Error, inTransaction: boolean): Promise<void> {
  if (copy) await copy.abort(reason);
  if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
}

async function unlockAndRelease(client: pg.PoolClient, batchId: number): Promise<void> {
  try {
    await releaseBatch(client, batchId);
    client.release();
  } catch (error) {
    // Dropping the connection releases the lock and ends any transaction.
    client.release(error as Error);
  }
}

/** Counts raw bytes as they stream through. */
async function* countBytes(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>, counts: { bytes: number },
): AsyncGenerator<Buffer | Uint8Array | string> {
  for await (const piece of input as AsyncIterable<Buffer | Uint8Array | string>) {
    counts.bytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength;
    yield piece;
  }
}

async function queueMatch(): Promise<void> {
  try {
    await sendJob('match', { mode: 'incremental', trigger: 'ingest' });
  } catch (error) {
    // The scheduled match (every 5 minutes) picks the batch up anyway: matched_at is null. Before the first
    // `torwatch serve` no worker has created the queue yet, which is not worth a warning.
    if (/does not exist/.test((error as Error).message)) return;
    console.warn(`ingest: could not queue the match job (${(error as Error).message}); the scheduled match will run it`);
  }
}

function summary(batchId: number, file: string, outcome: BatchOutcome, rejects: IngestReject[]): IngestSummary {
  return {
    batchId, file, source: outcome.source as TelemetrySource | 'auto', bytes: outcome.bytes, read: outcome.read,
    inserted: outcome.inserted, duplicate: outcome.duplicate, rejected: outcome.rejected, skipped: outcome.skipped,
    rejects: rejects.slice(0, SUMMARY_REJECTS), status: outcome.status,
    ...(outcome.error === null ? {} : { error: outcome.error }), durationMs: outcome.durationMs,
  };
}
