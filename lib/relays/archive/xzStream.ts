import type { Readable } from 'node:stream';
import { createDecompressStream } from '@napi-rs/lzma/xz';

// The .xz decoder, chosen by measurement (README "Relay history"): @napi-rs/lzma decodes in a worker thread with a
// native binding shipped inside the npm package (nothing downloaded at install), ~1.5× faster than the WASM
// xz-decompress and ~2× faster than lzma-native on this machine. A truncated or corrupt stream ends in an error.

/** The decompressed bytes of an .xz byte stream, as a stream (backpressured: never the whole archive in memory). */
export function xzDecompress(compressed: Readable): Readable {
  const decoder = createDecompressStream();
  decoder.on('error', (error) => decoderErrors.add(error));
  compressed.on('error', (error) => decoder.destroy(error));
  return compressed.pipe(decoder);
}

const decoderErrors = new WeakSet<object>();

/** True for an error the decoder raised: the .xz data is corrupt or truncated. */
export function isXzDecoderError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && decoderErrors.has(error);
}

/** True when the bytes start with the .xz magic (FD 37 7A 58 5A 00). */
export function isXz(head: Uint8Array): boolean {
  return head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58 && head[4] === 0x5a;
}
