import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DefenderCsvParser } from './defenderCsv';
import { DefenderStreamParser } from './defenderStream';
import { ChunkBuilder } from './chunkBuilder';
import { detectTelemetrySource } from './detectTelemetrySource';
import { IngestFormatError, type ParsedChunk, type RowSink, type TelemetrySource, type TextParser } from './types';
import { ZeekConnParser } from './zeekConn';

export { CHUNK_ROWS } from './chunkBuilder';

export interface ParseTelemetryOptions {
  /** Name used in errors (`<file>:<line>: …`). */
  file: string;
  source?: TelemetrySource | 'auto';
}

type ByteChunk = Buffer | Uint8Array | string;

/**
 * Rows per chunk. Each chunk lives across a COPY round trip, long enough for V8 to promote it to the old generation:
 * 2,000 measured ~40 MB more peak RSS on a 1 M-row ingest than 1,000, and no faster.
 */
const DETECT_BYTES = 16 * 1024;
const SNIFF_BYTES = 4096;
const PIECE_BYTES = 32 * 1024;

/**
 * Streams a telemetry file (plain or gzip) into normalised rows, CHUNK_ROWS at a time. Row problems come back as
 * rejects; a file that cannot be read at all throws IngestFormatError (after yielding the rows before the point
 * of failure). Memory stays flat: only the current chunk of input and of output is held.
 */
export async function* parseTelemetry(
  input: NodeJS.ReadableStream | AsyncIterable<ByteChunk>,
  options: ParseTelemetryOptions,
): AsyncGenerator<ParsedChunk & { source: TelemetrySource }> {
  const { file } = options;
  const raw = (input as AsyncIterable<ByteChunk>)[Symbol.asyncIterator]();
  const chunks = new ChunkBuilder();
  let parser: TextParser | null = null;
  let source: TelemetrySource | null = null;
  let pending = ''; // text held back until there is enough of it to tell the format
  try {
    const first = await readHead(raw, 2);
    const gzip = first.bytes[0] === 0x1f && first.bytes[1] === 0x8b;
    const head = gzip
      ? await readHead(gunzip(first.bytes, raw), SNIFF_BYTES)
      : await readHead(first.rest, SNIFF_BYTES, first.bytes);
    const decoder = new TextDecoder(sniffEncoding(file, head.bytes));
    pending = decoder.decode(head.bytes, { stream: true });
    for await (const piece of pieces(head.rest)) {
      const text = decoder.decode(piece, { stream: true });
      if (parser === null) {
        pending += text;
        if (pending.length < DETECT_BYTES) continue;
        ({ parser, source } = start(file, options.source, pending, chunks));
        parser.push(pending);
        pending = '';
      } else {
        parser.push(text);
      }
      for (const chunk of chunks.take()) yield { ...chunk, source: source! };
    }
    const tail = pending + decoder.decode();
    if (parser === null) ({ parser, source } = start(file, options.source, tail, chunks));
    parser.push(tail);
    parser.end();
  } catch (error) {
    const gzipError = isZlibError(error);
    if (gzipError && parser === null && pending.trim() !== '') {
      // A small file cut short: what arrived before the cut still counts.
      try {
        ({ parser, source } = start(file, options.source, pending, chunks));
        parser.push(pending);
      } catch {
        // The cut is the problem to report.
      }
    }
    if (source !== null) for (const chunk of chunks.take('rows')) yield { ...chunk, source };
    if (gzipError) {
      const reason =
        error.code === 'Z_BUF_ERROR' ? 'truncated gzip (unexpected end of file)' : `corrupt gzip: ${error.message}`;
      throw new IngestFormatError(file, parser?.line ?? null, null, reason);
    }
    throw error;
  } finally {
    await raw.return?.(); // stop reading (and close a file stream) when the caller stops early
  }
  for (const chunk of chunks.take(true)) yield { ...chunk, source: source! };
}

function start(
  file: string,
  requested: TelemetrySource | 'auto' | undefined,
  firstText: string,
  sink: RowSink,
): { parser: TextParser; source: TelemetrySource } {
  if (firstText.trim() === '') throw new IngestFormatError(file, null, null, 'empty file');
  const source = requested && requested !== 'auto' ? requested : detectTelemetrySource(firstText);
  if (source === null) {
    const separator = otherSeparator(firstText);
    throw new IngestFormatError(
      file,
      1,
      null,
      separator
        ? `${separator}-separated header: export or save the file as comma-separated CSV`
        : 'not a known telemetry format (expected a Defender DeviceNetworkEvents/DeviceInfo CSV header with Timestamp, ' +
            'Defender Streaming API JSON, or a Zeek conn.log)',
    );
  }
  switch (source) {
    case 'defender-network-events':
      return { source, parser: new DefenderCsvParser(file, 'network', sink) };
    case 'defender-device-info':
      return { source, parser: new DefenderCsvParser(file, 'device', sink) };
    case 'defender-stream':
      return { source, parser: new DefenderStreamParser(sink) };
    case 'zeek-conn':
      return { source, parser: new ZeekConnParser(file, sink) };
  }
}

/** A Defender-looking header split by something other than commas (Excel in some locales writes `;`). */
function otherSeparator(firstText: string): 'semicolon' | 'tab' | null {
  const header = firstText
    .replace(/^\uFEFF/, '')
    .trimStart()
    .split(/\r?\n/, 1)[0];
  if (!/timestamp/i.test(header) || header.includes(',')) return null;
  if (header.includes(';')) return 'semicolon';
  return header.includes('\t') ? 'tab' : null;
}

/** Refuses what is not text, and says which text encoding a BOM asks for (TextDecoder drops the BOM itself). */
function sniffEncoding(file: string, head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const magic = Buffer.from(head.subarray(0, 6)).toString('latin1');
  const archive = magic.startsWith('PK\u0003\u0004')
    ? 'a zip archive'
    : magic.startsWith('BZh')
      ? 'bzip2 data'
      : magic.startsWith('\u00fd7zXZ')
        ? 'xz data'
        : magic.startsWith('\u0028\u00b5\u002f\u00fd')
          ? 'zstd data'
          : magic.startsWith('Obj\u0001')
            ? 'Avro data'
            : null;
  if (archive) throw new IngestFormatError(file, null, null, `binary content (${archive}): unpack it first`);
  let control = 0;
  const window = head.subarray(0, SNIFF_BYTES);
  for (const byte of window) {
    if (byte === 0)
      throw new IngestFormatError(file, null, null, 'binary content (NUL bytes), not a text telemetry file');
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control > window.length / 100)
    throw new IngestFormatError(file, null, null, 'binary content, not a text telemetry file');
  return 'utf-8';
}

interface Head {
  bytes: Buffer;
  rest: AsyncIterable<Buffer>;
}

/** Reads at least `min` bytes (unless the input ends first) and hands back the rest, still streaming. */
async function readHead(
  chunks: AsyncIterator<ByteChunk> | AsyncIterable<Buffer>,
  min: number,
  already?: Buffer,
): Promise<Head> {
  const iterator = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks;
  const parts: Buffer[] = already ? [already] : [];
  let size = already?.length ?? 0;
  let done = false;
  while (size < min) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const buffer = asBuffer(next.value);
    parts.push(buffer);
    size += buffer.length;
  }
  return { bytes: Buffer.concat(parts), rest: done ? empty() : remaining(iterator) };
}

async function* remaining(iterator: AsyncIterator<ByteChunk>): AsyncGenerator<Buffer> {
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield asBuffer(next.value);
}

async function* empty(): AsyncGenerator<Buffer> {}

async function* gunzip(first: Buffer, rest: AsyncIterator<ByteChunk>): AsyncGenerator<Buffer> {
  const compressed = Readable.from(
    (async function* () {
      yield first;
      yield* remaining(rest);
    })(),
  );
  const inflate = createGunzip();
  compressed.on('error', (error) => inflate.destroy(error));
  compressed.pipe(inflate);
  try {
    for await (const piece of inflate) yield piece as Buffer;
  } finally {
    compressed.destroy();
  }
}

/**
 * At most 32 KiB at a time: decoded, that stays under V8's large-object size even as UTF-16, so a piece that is
 * done with dies young instead of waiting for a full collection (measured: ~2x faster on a cold process).
 */
async function* pieces(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    if (chunk.length <= PIECE_BYTES) yield chunk;
    else for (let i = 0; i < chunk.length; i += PIECE_BYTES) yield chunk.subarray(i, i + PIECE_BYTES);
  }
}

function asBuffer(chunk: ByteChunk): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk);
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function isZlibError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^Z_/.test(code);
}
