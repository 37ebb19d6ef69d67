import { canonicalIp, parsePort } from '@/lib/net/ip';
import { MAX_FIELD_CHARS } from './csvRecordReader';
import { quoteValue } from './defenderRecords';
import { zeekDirection } from './direction';
import { epochToUtcMicros, toUtcMicros } from './timestamps';
import { IngestFormatError, type IngestReject, type NetworkEventRecord, type RowSink, type TextParser } from './types';

/** The conn.log fields a NetworkEventRecord is made of; the first four are required. */
const FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.resp_h',
  'id.orig_p',
  'id.resp_p',
  'proto',
  'conn_state',
  'local_orig',
] as const;
type ZeekField = (typeof FIELDS)[number];
type ZeekCells = Partial<Record<ZeekField, string | null>>;

// PostgreSQL text cannot hold U+0000, raw or as a JSON escape. (A regex, not includes('\0'): V8 searches a
// two-byte string for U+0000 with memchr on its zero high bytes, which is pathologically slow.)
const NUL = /\u0000/;

/**
 * Zeek conn.log, either the ASCII writer's TSV (`#separator`, `#fields`, `#types`, `-` unset, `(empty)`, `#close`;
 * several logs may follow one another) or JSON lines with the same keys (`ts` epoch seconds or ISO 8601).
 * There is no device id: the local endpoint's address is the device.
 */
export class ZeekConnParser implements TextParser {
  private readonly lines: LineReader;
  private format: 'tsv' | 'json' | null = null;
  private separator = '\t';
  private unset = '-';
  private empty = '(empty)';
  private columns: string[] | null = null;
  private at = new Map<ZeekField, number>();

  constructor(
    private readonly file: string,
    private readonly sink: RowSink,
  ) {
    this.lines = new LineReader(
      (text, line) => this.onLine(text, line),
      (line) => this.sink.reject({ line, field: 'line', reason: 'longer than 1 MiB' }),
    );
  }

  get line(): number {
    return this.lines.line;
  }

  push(text: string): void {
    this.lines.push(text);
  }

  end(): void {
    this.lines.end();
  }

  private onLine(text: string, line: number): void {
    if (text.trim() === '') return;
    if (NUL.test(text) || text.includes('\\u0000')) {
      return this.sink.reject({ line, field: 'line', reason: 'contains a NUL character' });
    }
    this.format ??= text.trimStart().startsWith('{') ? 'json' : 'tsv';
    if (this.format === 'json') return this.onJsonLine(text, line);
    if (text.startsWith('#')) return this.onDirective(text, line);
    if (this.columns === null)
      throw new IngestFormatError(this.file, line, null, 'data before the #fields header line');
    const values = text.split(this.separator);
    if (values.length !== this.columns.length) {
      const reason = `expected ${this.columns.length} columns, found ${values.length}`;
      return this.sink.reject({ line, field: 'columns', reason });
    }
    const cells: ZeekCells = {};
    for (const [field, index] of this.at) {
      const value = values[index];
      cells[field] = value === this.unset || value === this.empty || value === '' ? null : value;
    }
    this.emit(toEvent(cells, line));
  }

  private onDirective(text: string, line: number): void {
    const space = text.indexOf(' ');
    if (text.startsWith('#separator')) {
      this.separator = unescapeZeek(text.slice(space + 1));
      return;
    }
    const [directive, ...rest] = text.split(this.separator);
    if (directive === '#unset_field') this.unset = rest[0] ?? '-';
    else if (directive === '#empty_field') this.empty = rest[0] ?? '(empty)';
    else if (directive === '#path' && rest[0] !== 'conn') {
      throw new IngestFormatError(this.file, line, '#path', `${quoteValue(rest[0] ?? '')} is not a conn log`);
    } else if (directive === '#fields') {
      this.columns = rest;
      this.at = new Map(FIELDS.flatMap((field) => (rest.includes(field) ? [[field, rest.indexOf(field)]] : [])));
      for (const field of FIELDS.slice(0, 4)) {
        if (!this.at.has(field)) throw new IngestFormatError(this.file, line, field, 'missing from #fields');
      }
    }
  }

  private onJsonLine(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.sink.reject({ line, field: 'json', reason: `not valid JSON: ${(error as Error).message}` });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.sink.reject({ line, field: 'json', reason: 'not a JSON object' });
    }
    const entry = value as Record<string, unknown>;
    const id = typeof entry.id === 'object' && entry.id !== null ? (entry.id as Record<string, unknown>) : {};
    const cells: ZeekCells = {};
    for (const field of FIELDS) {
      const raw = entry[field] ?? (field.startsWith('id.') ? id[field.slice(3)] : undefined);
      cells[field] =
        raw === undefined || raw === null ? null : typeof raw === 'boolean' ? (raw ? 'T' : 'F') : String(raw);
    }
    if (typeof entry.ts === 'number') cells.ts = epochText(entry.ts, text);
    this.emit(toEvent(cells, line));
  }

  private emit(row: NetworkEventRecord | IngestReject): void {
    if ('reason' in row) this.sink.reject(row);
    else this.sink.event(row);
  }
}

function toEvent(cells: ZeekCells, line: number): NetworkEventRecord | IngestReject {
  const tsText = cells.ts ?? null;
  const ts = tsText === null ? null : /^[\d.eE+]+$/.test(tsText) ? epochToUtcMicros(tsText) : toUtcMicros(tsText);
  if (ts === null) return bad(line, 'ts', tsText, 'is not a time');
  const uid = cells.uid ?? null;
  if (uid === null) return { line, field: 'uid', reason: 'empty' };
  const origIp = cells['id.orig_h'] ? canonicalIp(cells['id.orig_h']) : null;
  if (origIp === null) return bad(line, 'id.orig_h', cells['id.orig_h'] ?? null, 'is not an IP address');
  const respIp = cells['id.resp_h'] ? canonicalIp(cells['id.resp_h']) : null;
  if (respIp === null) return bad(line, 'id.resp_h', cells['id.resp_h'] ?? null, 'is not an IP address');
  const origPort = port(cells['id.orig_p']);
  if (origPort === undefined) return bad(line, 'id.orig_p', cells['id.orig_p'] ?? null, 'is not a port');
  const respPort = port(cells['id.resp_p']);
  if (respPort === undefined) return bad(line, 'id.resp_p', cells['id.resp_p'] ?? null, 'is not a port');
  const localOrig = cells.local_orig === 'T' ? true : cells.local_orig === 'F' ? false : null;
  const direction = zeekDirection(localOrig, origIp);
  const outbound = direction === 'outbound';
  const connState = cells.conn_state ?? null;
  return {
    line,
    ts,
    deviceId: outbound ? origIp : respIp,
    deviceName: null,
    actionType: connState === null ? null : `zeek:${connState}`,
    direction,
    remoteIp: outbound ? respIp : origIp,
    remotePort: outbound ? respPort : origPort,
    remoteUrl: null,
    localIp: outbound ? origIp : respIp,
    localPort: outbound ? origPort : respPort,
    protocol: cells.proto ?? null,
    processFileName: null,
    processFolderPath: null,
    processSha256: null,
    processCommandLine: null,
    processAccountName: null,
    processId: null,
    reportId: uid,
    source: 'zeek',
  };
}

function port(text: string | null | undefined): number | null | undefined {
  if (text === null || text === undefined) return null;
  return parsePort(text) ?? undefined;
}

function bad(line: number, field: string, value: string | null, problem: string): IngestReject {
  return { line, field, reason: value === null ? 'empty' : `${quoteValue(value)} ${problem}` };
}

/** `ts` as the decimal text it was written with: a float would drift (1700000000.123456 is not representable). */
function epochText(value: number, line: string): string {
  const written = /"ts"\s*:\s*([\d.eE+-]+)/.exec(line)?.[1];
  return written !== undefined && Number(written) === value ? written : String(value);
}

/** `\x09` → tab, as Zeek writes its separator. */
function unescapeZeek(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Physical lines (LF or CRLF) from text pushed in any split; a line stops growing at 1 MiB and is reported. */
class LineReader {
  line = 1;
  private partial = '';
  private tooLong = false;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    private readonly onTooLong: (line: number) => void,
  ) {}

  push(s: string): void {
    let start = 0;
    for (let lf = s.indexOf('\n'); lf >= 0; lf = s.indexOf('\n', start)) {
      this.finish(s, start, lf);
      start = lf + 1;
    }
    if (start < s.length && !this.tooLong) {
      if (this.partial.length + s.length - start > MAX_FIELD_CHARS) {
        this.tooLong = true;
        this.partial = '';
      } else {
        this.partial += s.slice(start);
      }
    }
  }

  end(): void {
    if (this.partial !== '' || this.tooLong) this.finish('', 0, 0);
  }

  private finish(s: string, from: number, to: number): void {
    let text = this.partial === '' ? s.slice(from, to) : this.partial + s.slice(from, to);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = this.line++;
    if (this.tooLong || text.length > MAX_FIELD_CHARS) this.onTooLong(line);
    else this.onLine(text, line);
    this.partial = '';
    this.tooLong = false;
  }
}
