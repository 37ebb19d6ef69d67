import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { sendJob } from '@/lib/jobs/sendJob';
import { copyDirect } from './directCopy';
import {
  finishBatch,
  lockEventWriter,
  openBatch,
  recoverInterruptedBatches,
  releaseBatch,
  storeRejects,
  type BatchOutcome,
} from './ingestBatchRow';
import { IngestLimitError } from './ingestLimits';
import { IngestTally, talliedChunks, type TelemetryInput } from './ingestTally';
import { copyStaged, mergeStaging } from './staging';
import { IngestFormatError, type IngestReject, type TelemetrySource } from './types';

export interface IngestOptions {
  /** The name in messages and in the batch list. */
  file: string;
  source?: TelemetrySource | 'auto';
  /** Any reject refuses the whole file (nothing committed). */
  strict?: boolean;
  via: 'cli' | 'upload' | 'api' | 'demo' | 'connector';
  actor?: string;
  /** Raw bytes read so far and rows parsed so far, after each chunk (back to 0, 0 when the input is read again). */
  onProgress?: (bytes: number, rows: number) => void;
  /** Queue an incremental match after the commit (default true). */
  queueMatch?: boolean;
  /**
   * The same input again from its first byte (a file: open it again). Given, the batch first tries a direct COPY
   * into the tables, and reads the input a second time only when that gives way (directCopy.ts).
   */
  reopen?: () => TelemetryInput;
  /**
   * Runs inside the batch's transaction, after its rows and before COMMIT, only when the batch commits: a connector
   * advances its cursor here, so the cursor and the rows it describes commit together or not at all.
   */
  beforeCommit?: (client: pg.PoolClient, batchId: number) => Promise<void>;
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
  /** How the rows went in: a `direct` COPY into the tables, or through the `staging` table. */
  loader: 'direct' | 'staging';
  /** Why a direct COPY gave way to the staging path (the input was read twice). */
  fallback?: string;
  /** A limit of ingestLimits.ts refused the batch: the HTTP status that says which kind (413 size, 422 header). */
  limitStatus?: 413 | 422;
}

export const SUMMARY_REJECTS = 100;

/**
 * Streams one telemetry file into the database as one batch, atomically: rows, devices and the batch marked
 * committed in one transaction. With `reopen`, the rows first go straight into the tables (directCopy.ts); without
 * it, or when that gives way, through a staging table and one set-based insert that skips duplicates (staging.ts).
 * A file that cannot be read (IngestFormatError) or, with `strict`, has any reject is `refused`; any other error
 * `failed`; neither leaves a row of the batch behind.
 */
export async function ingestFile(input: TelemetryInput, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const pool = getPool();
  await recoverInterruptedBatches(pool);
  const client = await pool.connect();
  const requested = options.source ?? 'auto';
  let batchId: number;
  try {
    batchId = await openBatch(client, {
      source: requested,
      file: options.file,
      via: options.via,
      actor: options.actor ?? null,
    });
  } catch (error) {
    client.release();
    throw error;
  }
  const tally = new IngestTally(requested);
  const loading: Loading = { loader: options.reopen ? 'direct' : 'staging' };
  const finish = async (
    db: pg.ClientBase | pg.Pool,
    status: BatchOutcome['status'],
    stored: Stored,
    error: string | null,
  ) => {
    const outcome: BatchOutcome = {
      status,
      source: tally.source,
      bytes: tally.bytes,
      read: tally.read,
      ...stored,
      rejected: tally.rejected,
      skipped: tally.skipped,
      error,
      durationMs: Math.round(performance.now() - started),
    };
    await storeRejects(db, batchId, tally.rejects);
    await finishBatch(db, batchId, outcome);
    return summary(batchId, options.file, outcome, tally.rejects, loading);
  };
  let inTransaction = false;
  try {
    await client.query('BEGIN');
    inTransaction = true;
    const direct = await load(client, batchId, input, options, tally, loading);
    tally.rejects.sort((a, b) => a.line - b.line);

    if (options.strict && tally.rejected > 0) {
      await client.query('ROLLBACK');
      inTransaction = false;
      return await finish(
        client,
        'refused',
        NOTHING_STORED,
        `--strict: ${tally.rejected} row(s) rejected, nothing committed`,
      );
    }
    const stored = direct ?? (await merge(client, batchId, tally));
    const done = await finish(client, 'committed', stored, null);
    await options.beforeCommit?.(client, batchId);
    await client.query('COMMIT');
    inTransaction = false;
    if (options.queueMatch !== false) await queueMatch();
    return done;
  } catch (error) {
    if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    const status = error instanceof IngestFormatError ? 'refused' : 'failed';
    const done = await finish(pool, status, NOTHING_STORED, error instanceof Error ? error.message : String(error));
    return error instanceof IngestLimitError ? { ...done, limitStatus: error.status } : done;
  } finally {
    await unlockAndRelease(client, batchId);
  }
}

interface Stored {
  inserted: number;
  /** Of `inserted`, the network events. */
  eventsInserted: number;
  duplicate: number;
}

interface Loading {
  loader: IngestSummary['loader'];
  fallback?: string;
}

/** A batch that did not commit stored nothing, and its duplicates were never counted. */
const NOTHING_STORED: Stored = { inserted: 0, eventsInserted: 0, duplicate: 0 };

/**
 * COPYs the input in: straight into the tables when it can be read again and no other batch is writing events
 * (returns what was stored); else, or when that gives way (the input is then read again from its start), into the
 * staging table (returns null), whose merge waits its turn to write.
 */
async function load(
  client: pg.PoolClient,
  batchId: number,
  input: TelemetryInput,
  options: IngestOptions,
  tally: IngestTally,
  loading: Loading,
): Promise<Stored | null> {
  if (options.reopen && !(await lockEventWriter(client, false))) {
    // Another batch is writing: stage this one meanwhile (nothing is read yet, so nothing is read twice).
    Object.assign(loading, { loader: 'staging', fallback: 'another batch was writing events' });
  } else if (options.reopen) {
    const direct = await copyDirect(client, batchId, talliedChunks(input, tally, options), tally);
    if (direct.loaded) return { inserted: direct.inserted, eventsInserted: direct.inserted, duplicate: 0 };
    Object.assign(loading, { loader: 'staging', fallback: direct.reason });
    tally.reset();
    options.onProgress?.(0, 0);
    input = options.reopen();
  }
  await copyStaged(client, talliedChunks(input, tally, options), tally);
  return null;
}

async function merge(client: pg.PoolClient, batchId: number, tally: IngestTally): Promise<Stored> {
  await lockEventWriter(client, true);
  const merged = await mergeStaging(client, batchId);
  const inserted = merged.eventsInserted + merged.devicesInserted;
  return { inserted, eventsInserted: merged.eventsInserted, duplicate: tally.copied - inserted };
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

async function queueMatch(): Promise<void> {
  try {
    await sendJob('match', { mode: 'incremental', trigger: 'ingest' });
  } catch (error) {
    // The scheduled match (every 5 minutes) picks the batch up anyway: matched_at is null. Before the first
    // `torwatch serve` no worker has created the queue yet, which is not worth a warning.
    if (/does not exist/.test((error as Error).message)) return;
    console.warn(
      `ingest: could not queue the match job (${(error as Error).message}); the scheduled match will run it`,
    );
  }
}

function summary(
  batchId: number,
  file: string,
  outcome: BatchOutcome,
  rejects: IngestReject[],
  loading: Loading,
): IngestSummary {
  return {
    batchId,
    file,
    source: outcome.source as TelemetrySource | 'auto',
    bytes: outcome.bytes,
    read: outcome.read,
    inserted: outcome.inserted,
    duplicate: outcome.duplicate,
    rejected: outcome.rejected,
    skipped: outcome.skipped,
    rejects: rejects.slice(0, SUMMARY_REJECTS),
    status: outcome.status,
    ...(outcome.error === null ? {} : { error: outcome.error }),
    durationMs: outcome.durationMs,
    ...loading,
  };
}
