/** The telemetry formats TorWatch reads (docs/architecture.md §6.1): the list is telemetrySources.ts. */
export type { TelemetrySource } from './telemetrySources';

export type Direction = 'outbound' | 'inbound' | 'listening' | 'unknown';

/** One connection, normalised: canonical addresses, UTC microsecond time, empty → null. */
export interface NetworkEventRecord {
  /** Physical line where the record starts (CSV header = line 1; JSON: the line its object opens on). */
  line: number;
  /** UTC with six fractional digits: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  ts: string;
  /** DeviceId, else DeviceName; Zeek: the local endpoint's address. */
  deviceId: string;
  deviceName: string | null;
  /** Zeek: `zeek:<conn_state>`. */
  actionType: string | null;
  direction: Direction;
  remoteIp: string | null;
  remotePort: number | null;
  remoteUrl: string | null;
  localIp: string | null;
  localPort: number | null;
  protocol: string | null;
  processFileName: string | null;
  processFolderPath: string | null;
  processSha256: string | null;
  processCommandLine: string | null;
  processAccountName: string | null;
  processId: number | null;
  /** Defender ReportId as text, else a sha256 hex of the normalised row; Zeek: uid. */
  reportId: string;
  source: 'defender' | 'zeek';
}

/** One DeviceInfo report: which public address a device had at a time. */
export interface DeviceInfoRecord {
  line: number;
  ts: string;
  deviceId: string;
  deviceName: string | null;
  publicIp: string | null;
  osPlatform: string | null;
  osVersion: string | null;
  machineGroup: string | null;
  reportId: string;
  /** The remaining columns as given (CSV: text, empty → null; Streaming API: JSON scalars, objects as JSON text). */
  attributes: Record<string, string | number | boolean | null>;
}

/** A row that was read and refused: `{ line: 1832, field: 'RemoteIP', reason: '"10.0.0.300" is not an IP address' }`. */
export interface IngestReject {
  line: number;
  field: string;
  reason: string;
}

/** What the parser yields, CHUNK_ROWS (1,000) rows at a time. */
export interface ParsedChunk {
  events: NetworkEventRecord[];
  devices: DeviceInfoRecord[];
  rejects: IngestReject[];
  /** Records deliberately ignored (Streaming API categories other than DeviceNetworkEvents/DeviceInfo). */
  skipped: number;
  /** Data rows/records consumed in this chunk: valid + rejected + skipped. */
  rowsRead: number;
}

/** Fatal for the whole file (no usable header, not a known format, binary, truncated gzip). */
export class IngestFormatError extends Error {
  constructor(
    public file: string,
    public line: number | null,
    public field: string | null,
    public reason: string,
  ) {
    // `<file>:<line>: <field>: <reason>`, leaving out a part that does not apply.
    super(`${file}${line === null ? '' : `:${line}`}: ${field === null ? '' : `${field}: `}${reason}`);
    this.name = 'IngestFormatError';
  }
}

/** Where a format parser puts each row it finishes; parseTelemetry cuts the stream of rows into chunks. */
export interface RowSink {
  event(record: NetworkEventRecord): void;
  device(record: DeviceInfoRecord): void;
  reject(reject: IngestReject): void;
  skip(): void;
}

/** A format parser: text in (any split), rows out to its sink; `line` is where it has read to. */
export interface TextParser {
  push(text: string): void;
  end(): void;
  readonly line: number;
}
