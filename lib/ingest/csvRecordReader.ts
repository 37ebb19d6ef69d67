import { maxRecordChars, recordTooLong } from './ingestLimits';

// The RFC 4180 reader under the Defender CSV parser (defenderCsv.ts). Hand-written: csv-parse measured 35–55k
// rows/s on a 44-column export against 190–214k for this reader, which copies only the columns it is asked to keep.

/** A field stops growing here (the row is rejected): memory stays flat whatever the input. */
export const MAX_FIELD_CHARS = 1024 * 1024;
const MAX_COLUMNS = 4096;

export interface CsvProblem {
  column: number;
  reason: string;
}

type OnRecord = (fields: string[], count: number, line: number, problem: CsvProblem | null) => void;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

// PostgreSQL text cannot hold U+0000: such a row could never be stored.
const NUL_PROBLEM = 'contains a NUL character';

/**
 * RFC 4180 records from text pushed in any split. Keeps only the current record; a field stops growing at 1 MiB
 * and a record at MAX_COLUMNS fields (the row is rejected), so memory stays flat whatever the input. Columns
 * outside `keep` are counted and measured but never copied (most of a 44-column row is not needed).
 * `line` counts physical lines: CRLF, LF and a lone CR each end one, inside quotes too.
 */
export class CsvRecordReader {
  line = 1;
  /** keep[column] === 1 for the columns whose text is wanted; null: all of them. */
  keep: Uint8Array | null = null;
  private recordLine = 1;
  private state = State.FieldStart;
  private readonly fields: string[] = [];
  private count = 0;
  private keepField = true;
  private partial = '';
  private partialLength = 0;
  private oversize = false;
  private problem: CsvProblem | null = null;
  private recordChars = 0;
  private readonly maxRecordChars = maxRecordChars();
  private skipLf = false; // the last chunk ended on a CR that ended a record
  private crInQuotes = false; // the last chunk ended on a CR inside quotes

  constructor(private readonly onRecord: OnRecord) {}

  push(s: string): void {
    const n = s.length;
    let i = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (n > 0 && s.charCodeAt(0) === LF) i = 1;
    }
    if (this.crInQuotes) {
      this.crInQuotes = false;
      if (n > 0 && s.charCodeAt(0) !== LF) this.line++;
    }
    while (i < n) {
      if (this.state === State.FieldStart) {
        const keep = this.keep;
        this.keepField = keep === null || keep[this.count] === 1;
        if (s.charCodeAt(i) === QUOTE) {
          this.state = State.Quoted;
          i++;
          continue;
        }
        this.state = State.Unquoted;
      }
      if (this.state === State.Unquoted) {
        let j = i;
        let c = 0;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c <= COMMA) {
            // One compare for most characters.
            if (c === COMMA || c === LF || c === CR) break;
            if (c === 0) this.setProblem(this.count, NUL_PROBLEM);
          }
          j++;
        }
        if (j === n) {
          this.append(s, i, n);
          return;
        }
        if (this.partialLength === 0 && j - i <= MAX_FIELD_CHARS) {
          this.measure(j - i);
          this.finishField(this.keepField && j > i ? s.slice(i, j) : '');
        } else {
          this.append(s, i, j);
          this.finishField(this.partial);
        }
        i = this.afterDelimiter(s, j, c);
      } else if (this.state === State.Quoted) {
        const q = s.indexOf('"', i);
        const end = q < 0 ? n : q;
        this.scanQuoted(s, i, end, n);
        this.append(s, i, end);
        if (q < 0) return;
        this.state = State.QuoteInQuoted;
        i = q + 1;
      } else {
        const c = s.charCodeAt(i);
        if (c === QUOTE) {
          this.append(s, i, i + 1); // "" is a literal quote
          this.state = State.Quoted;
          i++;
        } else if (c === COMMA || c === LF || c === CR) {
          this.finishField(this.partial);
          i = this.afterDelimiter(s, i, c);
        } else {
          // `"abc"def`: keep the text but refuse the row — it is not what the writer meant.
          this.setProblem(this.count, 'unexpected text after a closing quote');
          this.state = State.Unquoted;
        }
      }
    }
  }

  end(): void {
    if (this.state === State.Quoted) {
      this.setProblem(this.count, 'unterminated quoted field at the end of the file');
      this.finishField('');
      this.endRecord();
    } else if (this.state !== State.FieldStart || this.count > 0) {
      this.finishField(this.partial);
      this.endRecord();
    }
  }

  /** A record past TORWATCH_MAX_RECORD_BYTES stops the file (LimitExceeded): nothing more of it is read. */
  private measure(chars: number): void {
    this.recordChars += chars;
    if (this.recordChars > this.maxRecordChars) throw recordTooLong(this.recordLine);
  }

  private append(s: string, from: number, to: number): void {
    if (from === to) return;
    this.measure(to - from);
    if (this.oversize) return;
    this.partialLength += to - from;
    if (this.partialLength > MAX_FIELD_CHARS) {
      this.oversize = true;
      this.partial = '';
      this.setProblem(this.count, 'longer than 1 MiB');
    } else if (this.keepField) {
      this.partial += s.slice(from, to);
    }
  }

  private finishField(value: string): void {
    this.measure(1); // the delimiter
    if (this.count < MAX_COLUMNS) this.fields[this.count] = this.oversize ? '' : value;
    else this.setProblem(this.count, `more than ${MAX_COLUMNS} columns`);
    this.count++;
    this.partial = '';
    this.partialLength = 0;
    this.oversize = false;
    this.state = State.FieldStart;
  }

  /** Past the comma or line end at `j`; returns where scanning goes on. */
  private afterDelimiter(s: string, j: number, c: number): number {
    if (c === COMMA) return j + 1;
    this.line++;
    this.endRecord();
    if (c === CR) {
      if (j + 1 === s.length) this.skipLf = true;
      else if (s.charCodeAt(j + 1) === LF) return j + 2;
    }
    return j + 1;
  }

  /** Hands the record over (the fields array is reused: the callback must copy what it keeps). */
  private endRecord(): void {
    const blank = this.count === 1 && this.fields[0] === '' && this.problem === null;
    if (!blank) this.onRecord(this.fields, this.count, this.recordLine, this.problem);
    this.count = 0;
    this.recordChars = 0;
    this.problem = null;
    this.state = State.FieldStart;
    this.recordLine = this.line;
  }

  /** Counts the line breaks in quoted text, and refuses a NUL (cheaper here than a separate search). */
  private scanQuoted(s: string, from: number, to: number, n: number): void {
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c > CR) continue;
      if (c === LF) this.line++;
      else if (c === CR) {
        if (k + 1 === n) this.crInQuotes = true;
        else if (s.charCodeAt(k + 1) !== LF) this.line++;
      } else if (c === 0) this.setProblem(this.count, NUL_PROBLEM);
    }
  }

  private setProblem(column: number, reason: string): void {
    this.problem ??= { column, reason };
  }
}
