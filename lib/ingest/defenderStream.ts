import { maxRecordChars, recordTooLong } from './ingestLimits';
import { DEVICE_COLUMNS, NETWORK_COLUMNS, deviceInfoFrom, isReject, networkEventFrom } from './defenderCsv';
import type { RowSink, TextParser } from './types';

const NETWORK_CATEGORY = 'advancedhunting-devicenetworkevents';
const DEVICE_CATEGORY = 'advancedhunting-deviceinfo';
const IN_ORDER = (length: number) => Int32Array.from({ length }, (_, i) => i);
const NETWORK_AT = IN_ORDER(NETWORK_COLUMNS.length);
const DEVICE_AT = IN_ORDER(DEVICE_COLUMNS.length);
const OWN_DEVICE_COLUMNS = new Set<string>(DEVICE_COLUMNS);

type Attribute = string | number | boolean | null;

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

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

type OnText = (text: string, line: number) => void;
type OnBad = (line: number, reason: string) => void;

/** Text of one JSON value being captured across chunks, capped in size. */
class Capture {
  line = 0;
  private readonly max = maxRecordChars();
  private start = 0;
  private parts: string[] = [];
  private size = 0;
  tooLong = false;

  begin(at: number, line: number): void {
    this.start = at;
    this.line = line;
    this.parts = [];
    this.size = 0;
    this.tooLong = false;
  }

  /** The chunk ended: keep what it held, and go on from the start of the next. */
  carry(s: string): void {
    if (!this.tooLong) {
      this.size += s.length - this.start;
      // A record past TORWATCH_MAX_RECORD_BYTES stops the file: nothing more of it is read.
      if (this.size > this.max) {
        throw recordTooLong(this.line);
      } else {
        this.parts.push(s.slice(this.start));
      }
    }
    this.start = 0;
  }

  text(s: string, endInclusive: number): string {
    if (this.size + endInclusive + 1 - this.start > this.max) throw recordTooLong(this.line);
    this.parts.push(s.slice(this.start, endInclusive + 1));
    const text = this.parts.join('');
    this.parts = [];
    return text;
  }
}

/**
 * Finds the JSON records in a stream without holding more than one record: each top-level object, except that a
 * top-level object's `records` array is streamed element by element. The first record that fits on one line
 * switches to JSON-lines mode, where a line that does not close its object is rejected alone; otherwise
 * (pretty-printed messages) a broken document is rejected once and skipped up to the next line starting with `{`.
 */
class JsonRecordScanner {
  line = 1;
  private lineMode: boolean | null = null;
  private depth = 0;
  private inString = false;
  private escapeNext = false;
  private skipping = false;
  private atLineStart = true;
  private topKind: 'object' | 'array' | null = null;
  private readonly top = new Capture();
  private topCapturing = false;
  private expectKey = false;
  private keyCapturing = false;
  private keyStart = 0;
  private keyText = '';
  private lastKey = '';
  private recordsOpen = false;
  private readonly element = new Capture();
  private elementCapturing = false;
  private scalarRejected = false;

  constructor(
    private readonly onText: OnText,
    private readonly onBad: OnBad,
  ) {}

  push(s: string): void {
    const n = s.length;
    let i = 0;
    let nextLf = -1;
    while (i < n) {
      if (this.skipping) {
        if (this.atLineStart) {
          const c = s.charCodeAt(i);
          if (this.lineMode === true || c === OPEN_BRACE || c === OPEN_BRACKET) this.skipping = false;
          this.atLineStart = false;
          if (!this.skipping) continue;
        }
        const lf = s.indexOf('\n', i);
        if (lf < 0) break;
        this.line++;
        this.atLineStart = true;
        i = lf + 1;
        continue;
      }
      if (this.inString) {
        if (nextLf < i) nextLf = indexOr(s, '\n', i, n);
        i = this.skipString(s, i, n, nextLf);
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === CR) {
        i++;
        continue;
      }
      if (c === LF) {
        this.line++;
        i++;
        if (this.lineMode === true && this.depth > 0) this.fail('JSON object not closed on its line', false);
        continue;
      }
      if (this.depth === 0 && c !== OPEN_BRACE && c !== OPEN_BRACKET) {
        this.onBad(this.line, 'not a JSON object');
        this.resetAndSkip(true);
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.topKind === 'object' && this.expectKey) {
          this.keyCapturing = true;
          this.keyStart = i + 1;
          this.keyText = '';
        } else if (this.depth === 2 && this.recordsOpen && !this.elementCapturing) {
          this.rejectScalarElement();
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.open(c, i);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.close(s, i);
      } else if (c === COMMA) {
        if (this.depth === 1) this.expectKey = true;
        if (this.depth === 2) this.scalarRejected = false;
      } else if (c === COLON) {
        if (this.depth === 1) this.expectKey = false;
      } else if (this.depth === 2 && this.recordsOpen) {
        this.rejectScalarElement();
      }
      i++;
    }
    if (this.topCapturing) this.top.carry(s);
    if (this.elementCapturing) this.element.carry(s);
    if (this.keyCapturing) {
      this.keyText = (this.keyText + s.slice(this.keyStart)).slice(0, 64);
      this.keyStart = 0;
    }
  }

  end(): void {
    if (this.depth > 0 || this.inString) {
      this.onBad(this.topKind ? this.top.line : this.line, 'JSON not closed at the end of the file');
    }
  }

  /** Inside a string at `i`: returns the index after its closing quote, or n, or the line break it must not hold. */
  private skipString(s: string, i: number, n: number, nextLf: number): number {
    let from = i;
    if (this.escapeNext) {
      this.escapeNext = false;
      from++;
    }
    for (;;) {
      const q = s.indexOf('"', from);
      if (q < 0 || nextLf < q) {
        if (nextLf < n) {
          this.fail('line break inside a JSON string', true);
          return nextLf;
        }
        this.escapeNext = backslashesBefore(s, n, from) % 2 === 1;
        return n;
      }
      if (backslashesBefore(s, q, from) % 2 === 1) {
        from = q + 1;
        continue;
      }
      this.inString = false;
      if (this.keyCapturing) {
        this.lastKey = this.keyText + s.slice(this.keyStart, q);
        this.keyCapturing = false;
      }
      return q + 1;
    }
  }

  private open(c: number, i: number): void {
    if (this.depth === 0) {
      this.topKind = c === OPEN_BRACE ? 'object' : 'array';
      this.topCapturing = this.topKind === 'object';
      this.top.begin(i, this.line);
      this.expectKey = true;
      this.lastKey = '';
    } else if (
      this.depth === 1 &&
      c === OPEN_BRACKET &&
      this.topKind === 'object' &&
      this.lastKey === 'records' &&
      !this.expectKey
    ) {
      this.recordsOpen = true;
      this.topCapturing = false; // the message itself is not a record: its elements are
    } else if (this.depth === 2 && this.recordsOpen && !this.elementCapturing) {
      this.elementCapturing = true;
      this.element.begin(i, this.line);
    }
    this.depth++;
  }

  private close(s: string, i: number): void {
    this.depth--;
    if (this.depth < 0) {
      this.depth = 0;
      this.onBad(this.line, 'unexpected closing bracket');
      this.resetAndSkip(true);
    } else if (this.depth === 0) {
      const line = this.top.line;
      if (this.topKind === 'array') this.onBad(line, 'not a JSON object (an array)');
      else if (this.topCapturing) this.emit(this.top, s, i);
      this.lineMode ??= line === this.line;
      this.reset();
    } else if (this.depth === 2 && this.elementCapturing) {
      this.emit(this.element, s, i);
      this.elementCapturing = false;
    } else if (this.depth === 1 && this.recordsOpen) {
      this.recordsOpen = false;
    }
  }

  private emit(capture: Capture, s: string, i: number): void {
    this.onText(capture.text(s, i), capture.line);
  }

  private rejectScalarElement(): void {
    if (!this.scalarRejected) this.onBad(this.line, 'record is not a JSON object');
    this.scalarRejected = true;
  }

  /** A broken record: one reject, then resynchronise (JSON lines: at the next line; documents: at the next `{`). */
  private fail(reason: string, skip: boolean): void {
    this.onBad(this.topKind ? this.top.line : this.line, reason);
    this.resetAndSkip(skip && this.lineMode !== true);
  }

  private resetAndSkip(skip: boolean): void {
    this.reset();
    this.skipping = skip;
    this.atLineStart = false;
  }

  private reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escapeNext = false;
    this.topKind = null;
    this.topCapturing = false;
    this.keyCapturing = false;
    this.recordsOpen = false;
    this.elementCapturing = false;
    this.scalarRejected = false;
  }
}

function indexOr(s: string, needle: string, from: number, n: number): number {
  const at = s.indexOf(needle, from);
  return at < 0 ? n : at;
}

/** How many backslashes stand right before `at`, not looking before `from`. */
function backslashesBefore(s: string, at: number, from: number): number {
  let count = 0;
  for (let p = at - 1; p >= from && s.charCodeAt(p) === BACKSLASH; p--) count++;
  return count;
}
