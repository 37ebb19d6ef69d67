import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { audit } from '@/lib/auth/audit';
import { writeEpisodes } from '@/lib/episodes/writeEpisodes';
import { isoInstant } from '@/lib/time/instant';

export const dynamic = 'force-dynamic';

const query = z.object({
  from: isoInstant.optional(), // without a zone: UTC (docs/architecture.md §3)
  to: isoInstant.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

// GET /api/v1/episodes?from=&to=&format=json|csv — the episodes overlapping [from, to), columns as `torwatch
// episodes` prints them (README "Episodes"). Analysts with a session, or a `read` token (like GET /api/v1/hits).
export const GET = apiRoute({ role: 'analyst', scopes: ['read'], query }, async ({ actor, query: q }) => {
  await audit(actor, 'episodes.export', 'api', { from: q.from, to: q.to, format: q.format });
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  writeEpisodes({ from: q.from, to: q.to, format: q.format }, async (chunk) => {
    await writer.ready;
    await writer.write(encoder.encode(chunk));
  })
    .then(
      () => writer.close(),
      (error) => {
        console.error('GET /api/v1/episodes failed', error);
        return writer.abort(new Error('episodes export failed'));
      },
    )
    .catch(() => {});
  return new Response(readable, {
    headers: {
      'Content-Type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(q.format === 'csv' ? { 'Content-Disposition': 'attachment; filename="torwatch-episodes.csv"' } : {}),
    },
  });
});
