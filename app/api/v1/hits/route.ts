import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { audit } from '@/lib/auth/audit';
import { streamedBody } from '@/lib/http/streamedBody';
import { exportHits } from '@/lib/queries/exportHits';
import { isoInstant } from '@/lib/time/instant';

export const dynamic = 'force-dynamic';

const query = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
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
  const selection = { from: q.from, to: q.to, compat: q.compat };
  return new Response(
    streamedBody('GET /api/v1/hits', (write) => exportHits(actor, selection, q.format, write)),
    {
      headers: {
        'Content-Type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        ...(q.format === 'csv'
          ? { 'Content-Disposition': `attachment; filename="torwatch-hits${q.compat ? '-compat' : ''}.csv"` }
          : {}),
      },
    },
  );
});
