import { apiRoute } from '@/lib/auth/apiRoute';
import { relayUploadQuery, relayUploadRequest } from '@/lib/relays/relayUploadRequest';

export const dynamic = 'force-dynamic';

// POST /api/v1/relays/import?file=name&format=auto&observedAt=ISO&force=1 — body: the relay file (an admin or a
// `relays` token: relay data decides what is a hit, so an ingest token may not declare relays). 200 with the import
// result, 422 when refused (keep-last-good), 413 over the size limit, 429 past the concurrent-ingest limit.
export const POST = apiRoute(
  { role: 'admin', scopes: ['relays'], query: relayUploadQuery },
  ({ actor, query, request }) => relayUploadRequest(request, actor, query),
);
