import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { ingestFile, type IngestSummary } from '@/lib/ingest/ingestFile';
import type { TelemetrySource } from '@/lib/ingest/types';
import { writeCursors, type CursorChange } from './connectorStore';
import { crashPoint } from './crashPoint';
import type { Connector, RunTotals } from './types';

// One piece of a pull (the new bytes of a blob or a file, a hunting window) loaded as one ingest batch through the
// same path as `torwatch ingest`: the same parsers, dedupe, rejects and batch row. The cursor change that says "this
// piece is in" is written by ingestFile's beforeCommit hook, in the batch's own transaction: a process killed at any
// point either committed both or neither, so the next run reads the piece again or not at all.

export interface Piece {
  /** The batch's name on the Ingest page and in rejects (`<container>/<blob>@<byte>`, `<file>@<byte>`, a window). */
  file: string;
  source: TelemetrySource;
  input: AsyncIterable<Buffer>;
  /** The cursor change; called once the input has been read to its end (a held-back partial line is known then). */
  cursor: () => CursorChange;
  /**
   * The same bytes again, once `input` has been read to its end (a blob range, a file range): given, the batch first
   * tries the direct COPY, as `torwatch ingest` of a file does, and reads the piece again only if that gives way.
   */
  reopen?: () => AsyncIterable<Buffer>;
  /**
   * Lines of the blob or file before this piece: rejects are stored with their line counted from its first line
   * (§6.5), not from the piece's. Default 0.
   */
  linesBefore?: number;
}

let progress: (() => void) | null = null;

/** Called after each chunk of every piece this process loads (the CLI caps V8's young generation with it). */
export function onPieceProgress(callback: (() => void) | null): void {
  progress = callback;
}

/** Loads the piece; null when its input turned out empty (only a partial line, say): no batch, the cursor written. */
export async function ingestPiece(
  connector: Connector,
  piece: Piece,
  totals: RunTotals,
): Promise<IngestSummary | null> {
  const iterator = piece.input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) {
    const change = piece.cursor();
    if (Object.keys(change.set ?? {}).length > 0 || change.remove?.length)
      await writeCursors(getPool(), connector.id, change);
    return null;
  }
  crashPoint('before-batch');
  const input = (async function* () {
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
  const summary = await ingestFile(withCrashPoint(input), {
    file: piece.file,
    source: piece.source,
    via: 'connector',
    actor: `connector:${connector.id}`,
    ...(piece.reopen ? { reopen: () => withCrashPoint(piece.reopen!()) } : {}),
    onProgress: () => progress?.(),
    beforeCommit: async (client, batchId) => {
      const change = piece.cursor();
      const { rows } = await client.query<{ newest: string | null }>(
        `SELECT to_char(max(ts) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS newest
         FROM network_event WHERE batch_id = $1`,
        [batchId],
      );
      await writeCursors(client, connector.id, { ...change, newestEventAt: change.newestEventAt ?? rows[0].newest });
      await shiftRejectLines(client, batchId, piece.linesBefore);
      crashPoint('before-commit');
    },
  });
  if (summary.status === 'committed') crashPoint('after-commit');
  totals.events += summary.read;
  totals.inserted += summary.inserted;
  totals.duplicate += summary.duplicate;
  totals.rejected += summary.rejected;
  totals.batches++;
  if (summary.status === 'failed') throw new Error(`${piece.file}: ${summary.error ?? 'the batch failed'}`);
  if (summary.status === 'refused') {
    // Not telemetry at all (binary, not a conn log): counted as one reject and passed over, never a stalled
    // connector. A gzip cut short is still being written: left for the next run.
    if (/truncated gzip/.test(summary.error ?? ''))
      throw new Error(`${piece.file}: ${summary.error} (being written? read again at the next run)`);
    totals.rejected += 1;
    await shiftRejectLines(getPool(), summary.batchId, piece.linesBefore);
    await writeCursors(getPool(), connector.id, piece.cursor());
  }
  return summary;
}

/** The batch's rejects (stored by ingestFile with lines counted from the piece) renumbered from the whole's start. */
async function shiftRejectLines(db: pg.ClientBase | pg.Pool, batchId: number, linesBefore = 0): Promise<void> {
  if (linesBefore > 0)
    await db.query('UPDATE ingest_reject SET line = line + $2 WHERE batch_id = $1', [batchId, linesBefore]);
}

async function* withCrashPoint(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    yield chunk;
    crashPoint('mid-copy');
  }
}

/**
 * Passes bytes through up to the last newline seen; what follows it (a record still being written) is held back and
 * dropped at the end. `consumed()` is the number of bytes passed on. With `final`, the tail is passed on too (a
 * rotated file is complete even without a last newline).
 */
export class WholeLines {
  private passed = 0;
  private newlines = 0;

  constructor(private readonly final = false) {}

  consumed(): number {
    return this.passed;
  }

  /** Newlines among the bytes passed on: the complete lines. */
  lines(): number {
    return this.newlines;
  }

  async *through(input: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
    let held: Buffer = Buffer.alloc(0);
    for await (const raw of input) {
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      const newline = chunk.lastIndexOf(0x0a);
      if (newline === -1) {
        held = held.length === 0 ? Buffer.from(chunk) : Buffer.concat([held, chunk]);
        continue;
      }
      // The held start of a line and the chunk up to its last newline go on as two pieces, not copied into one
      // (the parsers take records cut anywhere between chunks, as in a file read).
      const out = chunk.subarray(0, newline + 1);
      const before = held;
      held = Buffer.from(chunk.subarray(newline + 1));
      this.passed += before.length + out.length;
      this.newlines += countNewlines(out);
      if (before.length > 0) yield before;
      yield out;
    }
    if (this.final && held.length > 0) {
      this.passed += held.length;
      yield held;
    }
  }
}

export function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}
