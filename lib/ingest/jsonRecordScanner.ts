// A generic streaming scanner for JSON records (docs/architecture.md §6.1), over 250 lines because it is one state
// machine: it finds each record's text in chunked input — JSON lines, one object per line, `{"records":[…]}`
// envelopes, pretty-printed over many lines — without parsing what it skips, caps a record's size, and reports the
// line of anything malformed. It knows nothing about Defender (defenderStream.ts maps the records).

const MAX_RECORD_CHARS = 16 * 1024 * 1024;
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
      if (this.size > MAX_RECORD_CHARS) {
        this.tooLong = true;
        this.parts = [];
      } else {
        this.parts.push(s.slice(this.start));
      }
    }
    this.start = 0;
  }

  text(s: string, endInclusive: number): string {
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
export class JsonRecordScanner {
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
    if (capture.tooLong) this.onBad(capture.line, `JSON record longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB`);
    else this.onText(capture.text(s, i), capture.line);
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
