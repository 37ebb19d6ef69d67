import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { HttpError } from '@/lib/http/httpError';
import { getRelayLookup } from '@/lib/queries/getRelayLookup';
import { parseRelayDate } from '@/lib/relays/relayDates';
import { RelayLookupError } from '@/lib/relays/lookupRelayAddress';

export const dynamic = 'force-dynamic';

const query = z.object({
  ip: z.string().trim().min(1).max(100),
  at: z.string().trim().optional(),
});

// GET /api/v1/relays/lookup?ip=1.2.3.4&at=ISO — "was this address a Tor relay then, and which?" (viewer+ or a read token).
export const GET = apiRoute({ role: 'viewer', scopes: ['read'], query }, async ({ actor, query }) => {
  const at = query.at ? (/^\d{4}-\d{2}-\d{2}/.test(query.at) ? parseRelayDate(query.at) : null) : new Date();
  if (!at) throw new HttpError(400, `at: "${query.at}" is not an ISO 8601 time such as 2026-03-10T12:00:00Z`);
  try {
    return await getRelayLookup(actor, query.ip, at);
  } catch (error) {
    if (error instanceof RelayLookupError) throw new HttpError(400, `ip: ${error.message}`);
    throw error;
  }
});
