import { apiRoute } from '@/lib/auth/apiRoute';
import { ingestQuery, ingestRequest } from '@/lib/ingest/ingestRequest';

export const dynamic = 'force-dynamic';

// POST /api/v1/ingest?source=auto&file=name.csv[&strict=1] — the raw file (or gzip) as the body, streamed into one
// batch; answers the IngestSummary (422 refused, 413 over TORWATCH_MAX_UPLOAD_BYTES). An `ingest` token or an analyst.
export const POST = apiRoute({ role: 'analyst', scopes: ['ingest'], query: ingestQuery }, ({ actor, query, request }) =>
  ingestRequest(request, actor, query, 'api'),
);
