import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { audit } from '@/lib/auth/audit';
import { HitFilterError, parseHitFilter, serialiseHitFilter } from '@/lib/hits/filters';
import { HttpError } from '@/lib/http/httpError';
import { streamedBody } from '@/lib/http/streamedBody';
import { exportHits } from '@/lib/queries/exportHits';

// GET /hits/export?<hits filter>&format=csv|json — the current filter of the hits explorer as a download.
// Analysts and admins only (exports carry raw event data); audited as hits.export.
const query = z.looseObject({ format: z.enum(['csv', 'json']).default('csv') });

export const GET = apiRoute({ role: 'analyst', query }, async ({ actor, query: { format }, request }) => {
  const url = new URL(request.url);
  let filter;
  try {
    filter = parseHitFilter(url.searchParams);
  } catch (error) {
    if (error instanceof HitFilterError) throw new HttpError(400, error.message);
    throw error;
  }
  await audit(actor, 'hits.export', 'hits', { format, filter: serialiseHitFilter(filter).toString() });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return new Response(
    streamedBody('GET /hits/export', (write) => exportHits(actor, { filter }, format, write)),
    {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="torwatch-hits-${stamp}.${format}"`,
        'cache-control': 'no-store',
      },
    },
  );
});
