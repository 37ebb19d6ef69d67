import 'server-only';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { HttpError } from '@/lib/http/httpError';
import { readBodyCapped } from '@/lib/http/readBody';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { defaultMaxBytes } from './downloadRelayDocument';
import { importRelaySnapshot } from './importRelaySnapshot';
import { parseRelayDate } from './relayDates';

// POST /api/v1/relays/import — a relay file for offline installations (the Relays page's upload form, or a script
// with an ingest token). The raw file is the body; the same store, rules and keep-last-good as `torwatch relays import`.

export const relayUploadQuery = z.object({
  file: z.string().trim().min(1).max(255).default('upload'),
  format: z.enum(['auto', 'torrelayips-csv', 'onionoo', 'exit-list', 'bulk-exit-list']).default('auto'),
  observedAt: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const date = /^\d{4}-\d{2}-\d{2}/.test(value) ? parseRelayDate(value) : null;
      if (!date)
        ctx.addIssue({ code: 'custom', message: `"${value}" is not an ISO 8601 time such as 2026-03-10T12:00:00Z` });
      return date ?? undefined;
    }),
  force: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .transform((value) => value === '1' || value === 'true'),
});
export type RelayUploadQuery = z.output<typeof relayUploadQuery>;

/** The most a relay upload may be (TORWATCH_FEED_MAX_MB, default 200 MB — an Onionoo details file is ~30 MB). */
export const maxRelayUploadBytes = defaultMaxBytes;

export async function relayUploadRequest(request: Request, actor: Actor, query: RelayUploadQuery) {
  const limit = maxRelayUploadBytes();
  const body = await readBody(request, limit);
  if (body.length === 0) throw new HttpError(400, `${query.file}: the upload is empty`);
  const input = body[0] === 0x1f && body[1] === 0x8b ? gunzip(body, limit, query.file) : body;
  const result = await importRelaySnapshot(input, {
    source: query.file,
    format: query.format,
    observedAt: query.observedAt,
    force: query.force,
  });
  await audit(actor, 'relays.import', query.file, {
    status: result.status,
    reason: result.reason,
    format: result.format,
    relays: result.relays,
    addresses: result.addresses,
    rejected: result.rejected,
    snapshotId: result.snapshotId,
    force: query.force,
  });
  return Response.json(result, {
    status: result.status === 'refused' ? 422 : 200,
    headers: { 'cache-control': 'no-store' },
  });
}

function readBody(request: Request, limit: number): Promise<Buffer> {
  return readBodyCapped(
    request,
    limit,
    () =>
      new HttpError(
        413,
        `the file is larger than the ${Math.round(limit / 1024 / 1024)} MB limit (TORWATCH_FEED_MAX_MB)`,
      ),
  );
}

function gunzip(body: Buffer, limit: number, file: string): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (error) {
    throw new HttpError(
      400,
      `${file}: the gzip file is corrupt, truncated or over the limit once decompressed (${(error as Error).message})`,
    );
  }
}
