import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { HttpError } from '@/lib/http/httpError';
import { STATUSES } from '@/lib/hits/hitValues';
import { MAX_NOTE_LENGTH } from '@/lib/triage/addHitNote';
import { changeHit } from '@/lib/triage/changeHit';
import { getHitTriage } from '@/lib/triage/getHitTriage';
import { TriageError } from '@/lib/triage/triageHits';

export const dynamic = 'force-dynamic';

const change = z
  .strictObject({
    status: z.enum(STATUSES).optional(),
    assignee: z.email().nullable().optional(),
    note: z.string().trim().min(1).max(MAX_NOTE_LENGTH).optional(),
  })
  .refine(
    (c) => c.status !== undefined || c.assignee !== undefined || c.note !== undefined,
    'give a status, an assignee or a note',
  );

// GET /api/v1/hits/{id} — the hit's triage state: status, assignee, triage time, suppressing rule, notes. A viewer's
// session, or a `read` or `triage` token.
export const GET = apiRoute({ role: 'viewer', scopes: ['read', 'triage'] }, async ({ actor, params }) => {
  const triage = await getHitTriage(actor, params.id);
  if (triage === null) throw new HttpError(404, `hit ${params.id} does not exist`);
  return triage;
});

// PATCH /api/v1/hits/{id} {"status":"benign","assignee":"a@b.c","note":"…"} — triage from a SOAR or a script: an
// analyst's session, or a `triage` token. Answers the triage state after the change.
export const PATCH = apiRoute(
  { role: 'analyst', scopes: ['triage'], body: change },
  async ({ actor, params, body }) => {
    try {
      const triage = await changeHit(actor, params.id, body);
      if (triage === null) throw new HttpError(404, `hit ${params.id} does not exist`);
      return triage;
    } catch (error) {
      if (error instanceof TriageError) throw new HttpError(400, error.message);
      throw error;
    }
  },
);
