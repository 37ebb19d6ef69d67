import type { DeviceInfoRecord, IngestReject, NetworkEventRecord, ParsedChunk, RowSink } from './types';

/** Rows per chunk that parseTelemetry yields (a chunk is loaded with one COPY). */
export const CHUNK_ROWS = 1000;

/** Collects rows into chunks of CHUNK_ROWS rows. */
export class ChunkBuilder implements RowSink {
  private current: ParsedChunk = emptyChunk();
  private ready: ParsedChunk[] = [];

  event(record: NetworkEventRecord): void {
    this.current.events.push(record);
    this.counted();
  }

  device(record: DeviceInfoRecord): void {
    this.current.devices.push(record);
    this.counted();
  }

  reject(reject: IngestReject): void {
    this.current.rejects.push(reject);
    this.counted();
  }

  skip(): void {
    this.current.skipped++;
    this.counted();
  }

  /**
   * The full chunks so far; `true` adds the partial one and gives at least one chunk (the end of a file),
   * `'rows'` adds the partial one only when it holds rows (before an error).
   */
  take(partial: boolean | 'rows' = false): ParsedChunk[] {
    const rows = this.current.rowsRead > 0;
    if ((partial === true && (rows || this.ready.length === 0)) || (partial === 'rows' && rows)) {
      this.ready.push(this.current);
      this.current = emptyChunk();
    }
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  private counted(): void {
    if (++this.current.rowsRead >= CHUNK_ROWS) {
      this.ready.push(this.current);
      this.current = emptyChunk();
    }
  }
}

function emptyChunk(): ParsedChunk {
  return { events: [], devices: [], rejects: [], skipped: 0, rowsRead: 0 };
}
