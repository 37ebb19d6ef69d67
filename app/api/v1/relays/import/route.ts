import { apiRoute } from '@/lib/auth/apiRoute';
import { relayUploadQuery, relayUploadRequest } from '@/lib/relays/relayUploadRequest';

export const dynamic = 'force-dynamic';

// POST /api/v1/relays/import?file=name&format=auto&observedAt=ISO&force=1 — body: the relay file (analyst+ or an
// ingest token). 200 with the import result, 422 when refused (keep-last-good), 413 over the size limit.
export const POST = apiRoute(
  { role: 'analyst', scopes: ['ingest'], query: relayUploadQuery },
  ({ actor, query, request }) => relayUploadRequest(request, actor, query),
);
