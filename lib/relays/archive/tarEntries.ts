// A streaming reader of tar archives (POSIX ustar, with pax and GNU long-name headers): each entry's body is handed
// out in the chunks it arrives in, never buffered whole. The consumer reads (or skips) one entry's body before
// asking for the next.

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface TarEntry {
  name: string;
  size: number;
  isFile: boolean;
  body: AsyncGenerator<Buffer>;
}

const BLOCK = 512;

/** The entries of a tar byte stream. Throws ArchiveError on a truncated archive or a damaged header. */
export async function* tarEntries(chunks: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(chunks[Symbol.asyncIterator]());
  let longName: string | null = null;
  let paxPath: string | null = null;
  for (;;) {
    const header = await reader.read(BLOCK);
    if (header === null) return; // ended without the end-of-archive blocks: accepted, as GNU tar does
    if (header.every((byte) => byte === 0)) return;
    if (!checksumMatches(header)) throw new ArchiveError('damaged tar header (checksum mismatch): not a tar archive?');
    const size = readSize(header);
    const type = String.fromCharCode(header[156] || 0x30);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x' || type === 'g') {
      const meta = await reader.read(padded);
      if (meta === null) throw truncated(cString(header, 0, 100));
      const text = meta.subarray(0, size).toString('utf8');
      if (type === 'L') longName = text.replace(/\0.*$/s, '');
      if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? paxPath;
      continue;
    }
    const prefix = cString(header, 345, 155);
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
    longName = paxPath = null;
    reader.startEntry(size, padded - size, name);
    yield { name, size, isFile: type === '0' || type === '7', body: reader.body() };
    await reader.skipRest(); // what the consumer left unread (or all of it, when it skipped the entry)
  }
}

function truncated(name: string): ArchiveError {
  return new ArchiveError(`the archive is truncated (inside ${name || 'a header'}): download it again`);
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readSize(header: Buffer): number {
  if (header[124] & 0x80) {
    // GNU base-256 for sizes of 8 GiB and more
    let size = 0;
    for (let i = 125; i < 136; i++) size = size * 256 + header[i];
    return size;
  }
  const text = cString(header, 124, 12).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError(`damaged tar header: size "${text}" is not octal`);
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  const stored = parseInt(cString(header, 148, 8).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum === stored;
}

/** Exact-size reads over a chunk iterator, and pass-through of a byte range without copying. */
class ByteReader {
  private buffer: Buffer = Buffer.alloc(0);
  private done = false;

  constructor(private source: AsyncIterator<Buffer>) {}

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    return true;
  }

  /** Exactly n bytes; null at a clean end (no byte left); throws when the stream ends inside them. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buffer.length < n) {
      if (!(await this.fill())) {
        if (this.buffer.length === 0) return null;
        throw truncated('');
      }
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  private left = 0;
  private padding = 0;
  private entryName = '';

  startEntry(size: number, padding: number, name: string): void {
    this.left = size;
    this.padding = padding;
    this.entryName = name;
  }

  /** The current entry's remaining bytes, as chunks (a consumer that stops early leaves the rest to skipRest). */
  async *body(): AsyncGenerator<Buffer> {
    while (this.left > 0) {
      if (this.buffer.length === 0 && !(await this.fill())) throw truncated(this.entryName);
      const piece = this.buffer.subarray(0, Math.min(this.left, this.buffer.length));
      this.buffer = this.buffer.subarray(piece.length);
      this.left -= piece.length;
      yield piece;
    }
  }

  async skipRest(): Promise<void> {
    for await (const _ of this.body());
    while (this.buffer.length < this.padding) {
      if (!(await this.fill())) throw truncated(this.entryName);
    }
    this.buffer = this.buffer.subarray(this.padding);
    this.padding = 0;
  }
}
