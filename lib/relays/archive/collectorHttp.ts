import { Readable } from 'node:stream';
import { env } from '@/lib/env';
import { guardedFetch } from '@/lib/net/outbound';

// Every request to CollecTor (or a mirror) goes through here: the outbound address guard (lib/net/outbound.ts), and
// a stall timeout — no byte for `stallMs` aborts the download (a month's archive may take minutes in total, so there
// is no overall limit).

export const DEFAULT_COLLECTOR_URL = 'https://collector.torproject.org';

export class CollectorHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface CollectorResponse {
  body: Readable;
  length: number | null;
}

function stallTimeoutMs(): number {
  return env('TORWATCH_COLLECTOR_STALL_SECONDS') * 1000;
}

/** GETs a CollecTor URL; the body streams, and stalls past the timeout end it with a CollectorHttpError. */
export async function collectorGet(url: string, stallMs = stallTimeoutMs()): Promise<CollectorResponse> {
  // As for relay feeds: an offline install reaches only this machine (a loopback mirror, tests).
  if (env('TORWATCH_OFFLINE') && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname))
    throw new CollectorHttpError(
      `${url}: not fetched, TORWATCH_OFFLINE is set (import archives with torwatch relays import)`,
    );
  const controller = new AbortController();
  const stalled = () =>
    controller.abort(new CollectorHttpError(`${url}: the server sent nothing for ${stallMs / 1000} s (stalled)`));
  let timer = setTimeout(stalled, stallMs);
  let response: Response;
  try {
    response = await guardedFetch(url, { signal: controller.signal, headers: { 'user-agent': 'TorWatch' } });
  } catch (error) {
    clearTimeout(timer);
    if (controller.signal.aborted) throw controller.signal.reason;
    throw new CollectorHttpError(`${url}: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    clearTimeout(timer);
    await response.body?.cancel().catch(() => {});
    throw new CollectorHttpError(`${url}: HTTP ${response.status} ${response.statusText}`.trim(), response.status);
  }
  const reader = response.body.getReader();
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        let next;
        try {
          next = await reader.read();
        } catch (error) {
          if (controller.signal.aborted) throw controller.signal.reason;
          throw new CollectorHttpError(`${url}: the download broke off (${(error as Error).message})`);
        }
        clearTimeout(timer);
        if (next.done) return;
        timer = setTimeout(stalled, stallMs);
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
    } finally {
      clearTimeout(timer);
      reader.releaseLock();
    }
  }
  const length = Number(response.headers.get('content-length'));
  return {
    body: Readable.from(chunks(), { objectMode: false }),
    length: Number.isFinite(length) && length > 0 ? length : null,
  };
}

/** The whole (small) body as text: a directory listing. */
export async function collectorText(url: string, maxBytes = 8 * 1024 * 1024): Promise<string> {
  const { body } = await collectorGet(url);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new CollectorHttpError(`${url}: larger than ${maxBytes} bytes`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
