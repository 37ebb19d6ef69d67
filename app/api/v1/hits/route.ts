import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { audit } from '@/lib/auth/audit';
import { writeHits } from '@/lib/match/writeHits';

export const dynamic = 'force-dynamic';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const query = z.object({
  from: instant.optional(),
  to: instant.optional(),
  format: z.enum(['json', 'csv']).default('json'),
  compat: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

// GET /api/v1/hits — machine output, docs/architecture.md §9.3 (default or ?compat=1; JSON, or CSV with format=csv),
// streamed from a database cursor. Analysts with a session, or a `read` token.
export const GET = apiRoute({ role: 'analyst', scopes: ['read'], query }, async ({ actor, query: q }) => {
  await audit(actor, 'hits.export', q.compat ? 'api:compat' : 'api', { from: q.from, to: q.to, format: q.format });
  // A TransformStream gives backpressure: each write waits while the client is slow to read.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  writeHits({ from: q.from, to: q.to, format: q.format, compat: q.compat }, async (chunk) => {
    await writer.ready;
    await writer.write(encoder.encode(chunk));
  })
    .then(
      () => writer.close(),
      (error) => {
        console.error('GET /api/v1/hits failed', error);
        return writer.abort(new Error('hits export failed'));
      },
    )
    .catch(() => {});
  return new Response(readable, {
    headers: {
      'Content-Type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(q.format === 'csv'
        ? { 'Content-Disposition': `attachment; filename="torwatch-hits${q.compat ? '-compat' : ''}.csv"` }
        : {}),
    },
  });
});
