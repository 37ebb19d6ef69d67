import 'server-only';
import { z } from 'zod';
import { HttpError } from '@/lib/http/httpError';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { ingestFile, type IngestSummary } from './ingestFile';
import { env } from '@/lib/env';
import { SOURCE_CHOICES } from './telemetrySources';

// The streaming path behind POST /api/v1/ingest (tokens, scripts) and POST /api/upload (the Ingest page): the raw
// request body goes straight into ingestFile, counted as it streams, never buffered.

export const ingestQuery = z.object({
  source: z.enum(SOURCE_CHOICES).default('auto'),
  file: z.string().trim().min(1).max(255).optional(),
  strict: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});
export type IngestQuery = z.output<typeof ingestQuery>;

/** Bodies that are telemetry as sent; multipart and form posts are not (this endpoint takes the raw file). */
const RAW_TYPES =
  /^(application\/(octet-stream|json|x-ndjson|jsonl|x-jsonlines|gzip|x-gzip)|text\/(csv|plain|tab-separated-values|x-log))$/i;

export function maxUploadBytes(): number {
  return env('TORWATCH_MAX_UPLOAD_BYTES');
}

class BodyTooLarge extends Error {}

export async function ingestRequest(
  request: Request,
  actor: Actor,
  query: IngestQuery,
  via: 'api' | 'upload',
): Promise<Response> {
  const limit = maxUploadBytes();
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim();
  if (type !== '' && !RAW_TYPES.test(type)) {
    throw new HttpError(
      415,
      `send the file itself as the body (e.g. application/octet-stream, text/csv, application/gzip), not ${type}`,
    );
  }
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new HttpError(415, `Content-Encoding ${encoding} is not supported (send gzip or nothing)`);
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit)
    throw new HttpError(
      413,
      `the body (${declared} bytes) is larger than the limit of ${limit} bytes (TORWATCH_MAX_UPLOAD_BYTES)`,
    );
  if (!request.body) throw new HttpError(400, 'empty body: send the telemetry file as the request body');

  let tooLarge = false;
  async function* limited(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
    let size = 0;
    for await (const piece of body) {
      size += piece.byteLength;
      if (size > limit) {
        tooLarge = true;
        throw new BodyTooLarge(
          `the body is larger than the limit of ${limit} bytes (TORWATCH_MAX_UPLOAD_BYTES); nothing was committed`,
        );
      }
      yield piece;
    }
  }
  const file = safeFileName(query.file ?? 'upload');
  // gzip is recognised by its magic bytes, so Content-Encoding: gzip and a plain .gz body take the same path.
  const summary = await ingestFile(limited(request.body), {
    file,
    source: query.source,
    strict: query.strict,
    via,
    actor: actor.label,
  });
  await audit(actor, 'ingest.upload', `batch:${summary.batchId}`, {
    file,
    via,
    status: summary.status,
    bytes: summary.bytes,
    inserted: summary.inserted,
    rejected: summary.rejected,
  });
  return Response.json(summary, { status: statusOf(summary, tooLarge), headers: { 'cache-control': 'no-store' } });
}

function statusOf(summary: IngestSummary, tooLarge: boolean): number {
  if (summary.status === 'committed') return 200;
  if (tooLarge) return 413;
  if (summary.status === 'refused') return 422;
  return 500;
}

/** A name for messages and the batch list: the last path segment, without control characters. */
export function safeFileName(name: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base.slice(0, 255) || 'upload';
}
