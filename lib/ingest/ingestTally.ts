import { CopyValueError } from './copyText';
import { STORED_REJECTS } from './ingestBatchRow';
import { parseTelemetry } from './parseTelemetry';
import type { IngestReject, ParsedChunk, TelemetrySource } from './types';

export type TelemetryInput = NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>;
export type TalliedChunk = ParsedChunk & { source: TelemetrySource };

/** What a batch has read so far: bytes, rows, rejects (the first STORED_REJECTS kept), rows turned into COPY text. */
export class IngestTally {
  source: TelemetrySource | 'auto';
  bytes = 0;
  read = 0;
  rejected = 0;
  skipped = 0;
  /** Rows handed to a COPY (staged or copied straight into the tables). */
  copied = 0;
  rejects: IngestReject[] = [];

  constructor(private readonly requested: TelemetrySource | 'auto') {
    this.source = requested;
  }

  reject(reject: IngestReject): void {
    this.rejected++;
    if (this.rejects.length < STORED_REJECTS) this.rejects.push(reject);
  }

  /** Counts a parsed chunk's rows, skips and rejects. */
  count(chunk: TalliedChunk): void {
    this.source = chunk.source;
    this.read += chunk.rowsRead;
    this.skipped += chunk.skipped;
    for (const reject of chunk.rejects) this.reject(reject);
  }

  /** The records as COPY text made by `row`; a record PostgreSQL cannot hold (CopyValueError) becomes a reject. */
  copyText<T extends { line: number }>(records: readonly T[], row: (record: T) => string): string {
    let text = '';
    for (const record of records) {
      try {
        text += row(record);
        this.copied++;
      } catch (error) {
        if (!(error instanceof CopyValueError)) throw error;
        this.reject({ line: record.line, field: error.field, reason: error.message });
      }
    }
    return text;
  }

  /** Back to nothing read: the input is about to be read again from its start. */
  reset(): void {
    this.source = this.requested;
    this.bytes = this.read = this.rejected = this.skipped = this.copied = 0;
    this.rejects = [];
  }
}

/**
 * Parses the input into chunks, counting bytes, rows and rejects into the tally as they go by; `onProgress` is
 * told after the consumer has handled each chunk.
 */
export async function* talliedChunks(
  input: TelemetryInput,
  tally: IngestTally,
  options: { file: string; source?: TelemetrySource | 'auto'; onProgress?: (bytes: number, rows: number) => void },
): AsyncGenerator<TalliedChunk> {
  for await (const chunk of parseTelemetry(countBytes(input, tally), { file: options.file, source: options.source })) {
    tally.count(chunk);
    yield chunk;
    options.onProgress?.(tally.bytes, tally.read);
  }
}

async function* countBytes(input: TelemetryInput, tally: IngestTally): AsyncGenerator<Buffer | Uint8Array | string> {
  for await (const piece of input as AsyncIterable<Buffer | Uint8Array | string>) {
    tally.bytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength;
    yield piece;
  }
}
