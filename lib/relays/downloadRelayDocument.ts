import { gunzipSync } from 'node:zlib';
import { env } from '@/lib/env';
import { guardedFetch, OutboundRefusedError } from '@/lib/net/outbound';

// Downloads one relay feed document: a timeout over the whole transfer, a size cap on the decoded body, gzip
// (Content-Encoding, or a .gz file served as is), conditional requests, HTTPS_PROXY/HTTP_PROXY/NO_PROXY, and the
// outbound address guard. Every failure is a FeedDownloadError whose message names the URL and what to do.

export class FeedDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedDownloadError';
  }
}

export interface DownloadOptions {
  timeoutMs?: number;
  maxBytes?: number;
  etag?: string | null;
  lastModified?: string | null;
}

export type Download =
  { notModified: true } | { notModified: false; body: Buffer; etag: string | null; lastModified: string | null };

const MB = 1024 * 1024;

export function defaultTimeoutMs(): number {
  return env('TORWATCH_FEED_TIMEOUT_SECONDS') * 1000;
}

export function defaultMaxBytes(): number {
  return env('TORWATCH_FEED_MAX_MB') * MB;
}

export async function downloadRelayDocument(url: string, options: DownloadOptions = {}): Promise<Download> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs();
  const maxBytes = options.maxBytes ?? defaultMaxBytes();
  if (!/^https?:\/\//i.test(url)) throw new FeedDownloadError(`${url}: not an http(s) URL`);
  // TORWATCH_OFFLINE=1 (tests, air-gapped installations): only this machine is ever contacted.
  if (env('TORWATCH_OFFLINE') && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    throw new FeedDownloadError(
      `${url}: not fetched, TORWATCH_OFFLINE is set (import the list with torwatch relays import instead)`,
    );
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const headers: Record<string, string> = {
      'user-agent': 'TorWatch relay fetcher',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (options.etag) headers['if-none-match'] = options.etag;
    if (options.lastModified) headers['if-modified-since'] = options.lastModified;
    // Address-guarded (lib/net/outbound.ts): private targets refused, each redirect hop checked, at most 5 hops.
    const response = await guardedFetch(url, { headers, signal: controller.signal, maxRedirects: 5 });
    if (response.status === 304) {
      await response.body?.cancel();
      return { notModified: true };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FeedDownloadError(
        `${url}: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      );
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) throw tooLarge(url, maxBytes, `it declares ${declared} bytes`);
    const body = gunzipIfNeeded(url, await readCapped(url, response, maxBytes), maxBytes);
    return {
      notModified: false,
      body,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    };
  } catch (error) {
    if (error instanceof FeedDownloadError) throw error;
    if (error instanceof OutboundRefusedError) throw new FeedDownloadError(`${url}: ${error.message}`);
    if (controller.signal.aborted) {
      throw new FeedDownloadError(
        `${url}: no complete answer within ${timeoutMs / 1000} s (TORWATCH_FEED_TIMEOUT_SECONDS)`,
      );
    }
    throw new FeedDownloadError(`${url}: download failed: ${describeNetworkError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(url: string, response: Response, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(url, maxBytes, 'the body went past it');
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, size);
}

/** A file stored compressed (TorRelayIPs.csv.gz) arrives without Content-Encoding: decompress it here. */
function gunzipIfNeeded(url: string, body: Buffer, maxBytes: number): Buffer {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, maxBytes, 'once decompressed');
    throw new FeedDownloadError(`${url}: the gzip body is corrupt or truncated (${(error as Error).message})`);
  }
}

function tooLarge(url: string, maxBytes: number, detail: string): FeedDownloadError {
  return new FeedDownloadError(
    `${url}: larger than the ${Number((maxBytes / MB).toFixed(1))} MB cap (${detail}); raise TORWATCH_FEED_MAX_MB if the feed really is that big`,
  );
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
