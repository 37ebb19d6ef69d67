import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HttpError } from '@/lib/http/httpError';
import { maxInflationRatio, RATIO_GRACE_BYTES } from '@/lib/ingest/ingestLimits';

/**
 * Reads a relay upload as it streams in: gzip (by its magic bytes) is inflated piece by piece on the libuv pool —
 * never in one synchronous call that would stall every other request — and refused past `limit` bytes on either
 * side or past TORWATCH_MAX_INFLATION_RATIO. What comes out is the document, at most `limit` bytes.
 */
export async function readRelayUpload(body: ReadableStream<Uint8Array>, limit: number, file: string): Promise<Buffer> {
  const tooLarge = (detail: string) =>
    new HttpError(
      413,
      `${file}: larger than the ${Math.round(limit / 1024 / 1024)} MB limit (TORWATCH_FEED_MAX_MB)${detail}; nothing was imported`,
    );
  let compressed = 0;
  const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return Buffer.alloc(0);
  const head = Buffer.from(first.value);
  async function* input(): AsyncGenerator<Buffer> {
    for (let next: IteratorResult<Buffer> = { done: false, value: head }; !next.done; next = await iterator.next()) {
      compressed += next.value.length;
      if (compressed > limit) throw tooLarge('');
      yield Buffer.from(next.value);
    }
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const parts: Buffer[] = [];
  let size = 0;
  const ratio = maxInflationRatio();
  try {
    const stream = gzip ? Readable.from(input()).pipe(createGunzip()) : Readable.from(input());
    for await (const piece of stream as AsyncIterable<Buffer>) {
      size += piece.length;
      if (size > limit) throw tooLarge(gzip ? ' once decompressed' : '');
      if (gzip && size > RATIO_GRACE_BYTES && size > ratio * compressed)
        throw new HttpError(
          413,
          `${file}: decompresses to more than ${ratio}× its size (TORWATCH_MAX_INFLATION_RATIO): refused as a decompression bomb; nothing was imported`,
        );
      parts.push(piece);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (/^Z_/.test(String((error as { code?: unknown }).code)))
      throw new HttpError(400, `${file}: the gzip file is corrupt or truncated (${(error as Error).message})`);
    throw error;
  } finally {
    source.destroy();
  }
  return Buffer.concat(parts, size);
}
