import {
  DEVICE_COLUMNS,
  NETWORK_COLUMNS,
  deviceInfoFrom,
  isReject,
  networkEventFrom,
  type Attribute,
} from './defenderRecords';
import { JsonRecordScanner } from './jsonRecordScanner';
import type { RowSink, TextParser } from './types';

const NETWORK_CATEGORY = 'advancedhunting-devicenetworkevents';
const DEVICE_CATEGORY = 'advancedhunting-deviceinfo';
const IN_ORDER = (length: number) => Int32Array.from({ length }, (_, i) => i);
const NETWORK_AT = IN_ORDER(NETWORK_COLUMNS.length);
const DEVICE_AT = IN_ORDER(DEVICE_COLUMNS.length);
const OWN_DEVICE_COLUMNS = new Set<string>(DEVICE_COLUMNS);

/**
 * Defender Streaming API output: Event Hub messages `{"records":[…]}` (one per line, or pretty-printed over many
 * lines) and storage blobs (one record per line). `category` decides what a record is; `properties` holds the
 * columns (numbers as numbers, nulls); the record's `time` stands in for a missing Timestamp.
 */
export class DefenderStreamParser implements TextParser {
  private readonly scanner: JsonRecordScanner;

  constructor(private readonly sink: RowSink) {
    this.scanner = new JsonRecordScanner(
      (text, line) => this.onRecordText(text, line),
      (line, reason) => this.sink.reject({ line, field: 'json', reason }),
    );
  }

  get line(): number {
    return this.scanner.line;
  }

  push(text: string): void {
    this.scanner.push(text);
  }

  end(): void {
    this.scanner.end();
  }

  private onRecordText(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.sink.reject({ line, field: 'json', reason: `not valid JSON: ${(error as Error).message}` });
    }
    if (!isObject(value)) return this.sink.reject({ line, field: 'json', reason: 'not a JSON object' });
    if (text.includes('\\u0000'))
      return this.sink.reject({ line, field: 'json', reason: 'contains a NUL character (\\u0000)' });
    // The scanner streams `records` arrays itself; this catches a key it could not see (e.g. written with escapes).
    if (Array.isArray(value.records)) {
      for (const record of value.records) this.onRecord(record, line, JSON.stringify(record));
      return;
    }
    this.onRecord(value, line, text);
  }

  private onRecord(record: unknown, line: number, text: string): void {
    if (!isObject(record)) return this.sink.reject({ line, field: 'json', reason: 'record is not a JSON object' });
    if (typeof record.category !== 'string') return this.sink.reject({ line, field: 'category', reason: 'missing' });
    const category = record.category.toLowerCase();
    if (category !== NETWORK_CATEGORY && category !== DEVICE_CATEGORY) return this.sink.skip();
    const properties = record.properties;
    if (!isObject(properties))
      return this.sink.reject({ line, field: 'properties', reason: 'missing or not an object' });
    const cell = (name: string): string | null => {
      const value = name === 'ReportId' ? reportIdText(properties.ReportId, text) : properties[name];
      if (name === 'Timestamp' && (value === undefined || value === null)) return cellText(record.time);
      return cellText(value);
    };
    if (category === NETWORK_CATEGORY) {
      const row = networkEventFrom(NETWORK_COLUMNS.map(cell), NETWORK_AT, line);
      return isReject(row) ? this.sink.reject(row) : this.sink.event(row);
    }
    const attributes: Record<string, Attribute> = {};
    for (const [name, value] of Object.entries(properties)) {
      if (!OWN_DEVICE_COLUMNS.has(name))
        attributes[name] = isObject(value) || Array.isArray(value) ? JSON.stringify(value) : (value as Attribute);
    }
    const row = deviceInfoFrom(DEVICE_COLUMNS.map(cell), DEVICE_AT, attributes, line);
    return isReject(row) ? this.sink.reject(row) : this.sink.device(row);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cellText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** ReportId is a 64-bit integer: past 2^53 JSON.parse rounds it, so take the digits from the text instead. */
function reportIdText(value: unknown, text: string): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  return /"ReportId"\s*:\s*(-?\d+)/.exec(text)?.[1] ?? value;
}
