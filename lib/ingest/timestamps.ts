// Times are stored as timestamptz with microseconds (docs/architecture.md §3). Defender writes 100 ns ticks (7 digits);
// Postgres rounds the 7th digit half-up, so we do the same here, carrying into the seconds (and the year) exactly.

const MAX_EPOCH_SECONDS = 253402300799; // 9999-12-31T23:59:59Z

/**
 * `2023-10-18T15:43:47.1549452Z` → `2023-10-18T15:43:47.154945Z`. Accepts ISO 8601 date-times with `T` or a space,
 * 0–9 fractional digits, and `Z`, `±HH`, `±HHMM` or `±HH:MM`; no zone means UTC. Returns null for anything else
 * (including impossible dates such as February 30).
 */
export function toUtcMicros(input: string): string | null {
  const text = needsTrim(input) ? input.trim() : input;
  const n = text.length;
  if (n < 19) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const sep = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 32 && sep !== 116) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60
  ) {
    return null;
  }

  let pos = 19;
  let fraction = '';
  if (pos < n && text.charCodeAt(pos) === 46) {
    const start = ++pos;
    while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
    if (pos === start || pos - start > 9) return null;
    fraction = text.slice(start, pos);
  }

  let offsetSeconds = 0;
  if (pos < n) {
    const zone = text.charCodeAt(pos);
    if ((zone === 90 || zone === 122) && pos + 1 === n) {
      // Z
    } else if (zone === 43 || zone === 45) {
      const offset = parseOffset(text.slice(pos + 1));
      if (offset === null) return null;
      offsetSeconds = zone === 43 ? offset : -offset;
    } else {
      return null;
    }
  }

  const micros = roundFraction(fraction);
  const carry = micros === CARRY;
  if (!carry && offsetSeconds === 0 && second < 60 && sep === 84) {
    return `${text.slice(0, 19)}.${micros}Z`; // the common case: already UTC, nothing to carry
  }
  const base = new Date(0);
  base.setUTCFullYear(year, month - 1, day);
  base.setUTCHours(hour, minute, second, 0);
  return formatEpoch(base.getTime() / 1000 + (carry ? 1 : 0) - offsetSeconds, carry ? '000000' : micros);
}

/**
 * Epoch seconds as decimal text (`1700000000.123456`, `1.7e9`) → UTC micros, exactly: the digits are shifted as
 * text, never through a float. Returns null for negative, non-numeric or out-of-range values.
 */
export function epochToUtcMicros(input: string): string | null {
  const match = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(input.trim());
  if (!match) return null;
  const digits = match[1] + (match[2] ?? '');
  const point = match[1].length + Number(match[3] ?? 0);
  if (point > 20) return null;
  const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  const fraction = point >= 0 ? digits.slice(point) : '0'.repeat(-point) + digits;
  const micros = roundFraction(fraction.slice(0, 9));
  if (micros === CARRY) return formatEpoch(Number(whole) + 1, '000000');
  return formatEpoch(Number(whole), micros);
}

/** Returned by roundFraction when .9999995 becomes a whole second. */
const CARRY = 'carry';

/** Six fractional digits, the 7th rounded half-up, or CARRY. */
function roundFraction(fraction: string): string {
  if (fraction.length === 6) return fraction;
  if (fraction.length < 6) return fraction.padEnd(6, '0');
  if (fraction.charCodeAt(6) < 53) return fraction.slice(0, 6);
  const up = Number(fraction.slice(0, 6)) + 1;
  return up === 1_000_000 ? CARRY : String(up).padStart(6, '0');
}

function formatEpoch(seconds: number, micros: string): string | null {
  if (!Number.isSafeInteger(seconds) || seconds < -62135596800 || seconds > MAX_EPOCH_SECONDS) return null;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${micros}Z`;
}

function parseOffset(text: string): number | null {
  const match = /^(\d{2})(?::?(\d{2}))?$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return hours * 3600 + minutes * 60;
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function needsTrim(text: string): boolean {
  return text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
