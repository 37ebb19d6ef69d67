import { apiRoute } from '@/lib/auth/apiRoute';
import { ingestQuery, ingestRequest } from '@/lib/ingest/ingestRequest';

export const dynamic = 'force-dynamic';

// POST /api/upload?file=name.csv[&source=…] — the Ingest page's uploads: one raw file per request, a signed-in
// analyst (cookie, same-origin), the same streaming path as /api/v1/ingest.
export const POST = apiRoute({ role: 'analyst', query: ingestQuery }, ({ actor, query, request }) =>
  ingestRequest(request, actor, query, 'upload'),
);
