import { parseTelemetry } from '../parseTelemetry';
import type { DeviceInfoRecord, IngestReject, NetworkEventRecord, TelemetrySource } from '../types';

export interface Collected {
  source: TelemetrySource | null;
  events: NetworkEventRecord[];
  devices: DeviceInfoRecord[];
  rejects: IngestReject[];
  skipped: number;
  rowsRead: number;
  chunks: number;
  error: Error | null;
}

/** Runs parseTelemetry over bytes fed in pieces of `pieceSize`, and gathers everything it yields (or throws). */
export async function collect(
  input: string | Buffer,
  options: { file?: string; source?: TelemetrySource | 'auto'; pieceSize?: number } = {},
): Promise<Collected> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const pieceSize = options.pieceSize ?? 65536;
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
  }
  const result: Collected = {
    source: null,
    events: [],
    devices: [],
    rejects: [],
    skipped: 0,
    rowsRead: 0,
    chunks: 0,
    error: null,
  };
  try {
    for await (const chunk of parseTelemetry(pieces(), { file: options.file ?? 'test.csv', source: options.source })) {
      result.source = chunk.source;
      result.events.push(...chunk.events);
      result.devices.push(...chunk.devices);
      result.rejects.push(...chunk.rejects);
      result.skipped += chunk.skipped;
      result.rowsRead += chunk.rowsRead;
      result.chunks++;
    }
  } catch (error) {
    result.error = error as Error;
  }
  return result;
}
