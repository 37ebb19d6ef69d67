import { env } from '@/lib/env';
import { IngestFormatError } from './types';

// What one ingest may cost the server (issue 14, "An ingest token can exhaust memory or disk"). Each limit refuses
// the whole batch (rolled back) with a message naming the setting; sizes are 413, a header too wide is 422.

const MiB = 1024 * 1024;

/** Decompressed bytes of one gzip upload (TORWATCH_MAX_INFLATED_BYTES, default 20 GiB). */
export const maxInflatedBytes = () => env('TORWATCH_MAX_INFLATED_BYTES');
/** Decompressed ÷ compressed (TORWATCH_MAX_INFLATION_RATIO, default 100; real telemetry compresses 10–20×). */
export const maxInflationRatio = () => env('TORWATCH_MAX_INFLATION_RATIO');
/** Characters in one record: a CSV row, a Zeek line, a JSON object (TORWATCH_MAX_RECORD_BYTES, default 1 MiB). */
export const maxRecordChars = () => env('TORWATCH_MAX_RECORD_BYTES');
/** Columns in a CSV header or a Zeek #fields line (TORWATCH_MAX_HEADER_COLUMNS, default 512). */
export const maxHeaderColumns = () => env('TORWATCH_MAX_HEADER_COLUMNS');
/** The ratio is judged once this much has come out, so a small file's header cannot trip it. */
export const RATIO_GRACE_BYTES = 4 * MiB;

export class IngestLimitError extends IngestFormatError {
  constructor(
    file: string,
    line: number | null,
    reason: string,
    readonly status: 413 | 422,
  ) {
    super(file, line, null, reason);
    this.name = 'IngestLimitError';
  }
}

/** Thrown by the parsers and the inflater, which do not know the file name; parseTelemetry names it. */
export class LimitExceeded extends Error {
  constructor(
    readonly reason: string,
    readonly status: 413 | 422,
    readonly line: number | null = null,
  ) {
    super(reason);
  }
}

export function recordTooLong(line: number): LimitExceeded {
  return new LimitExceeded(
    `a record longer than ${formatSize(maxRecordChars())} (TORWATCH_MAX_RECORD_BYTES); nothing was committed`,
    413,
    line,
  );
}

export function headerTooWide(line: number, columns: number): LimitExceeded {
  return new LimitExceeded(
    `the header has ${columns} columns, more than ${maxHeaderColumns()} (TORWATCH_MAX_HEADER_COLUMNS); nothing was committed`,
    422,
    line,
  );
}

/** Counts compressed bytes in and decompressed bytes out; throws LimitExceeded past the ratio or the total. */
export class InflationMeter {
  compressed = 0;
  inflated = 0;
  private readonly ratio = maxInflationRatio();
  private readonly total = maxInflatedBytes();

  addCompressed(bytes: number): void {
    this.compressed += bytes;
  }

  addInflated(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > this.total)
      throw new LimitExceeded(
        `decompresses to more than ${formatSize(this.total)} (TORWATCH_MAX_INFLATED_BYTES); nothing was committed`,
        413,
      );
    if (this.inflated > RATIO_GRACE_BYTES && this.inflated > this.ratio * this.compressed)
      throw new LimitExceeded(
        `decompresses to more than ${this.ratio}× its compressed size (TORWATCH_MAX_INFLATION_RATIO): refused as a decompression bomb; nothing was committed`,
        413,
      );
  }
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${Number((bytes / 1024 / MiB).toFixed(1))} GiB`;
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  return `${bytes} bytes`;
}
