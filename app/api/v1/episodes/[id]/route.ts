import { z } from 'zod';
import { apiRoute } from '@/lib/auth/apiRoute';
import { HttpError } from '@/lib/http/httpError';
import { getPool } from '@/lib/db/pool';
import { triageEpisodes } from '@/lib/episodes/triageEpisodes';
import { STATUSES } from '@/lib/hits/hitValues';
import { getEpisode } from '@/lib/queries/getEpisode';
import { TriageError } from '@/lib/triage/triageHits';

export const dynamic = 'force-dynamic';

const change = z
  .strictObject({ status: z.enum(STATUSES).optional(), assignee: z.email().nullable().optional() })
  .refine((c) => c.status !== undefined || c.assignee !== undefined, 'give a status or an assignee');

// GET /api/v1/episodes/{id} — one episode with its figures and triage decision: a viewer, or a read/triage token.
export const GET = apiRoute({ role: 'viewer', scopes: ['read', 'triage'] }, async ({ actor, params }) => {
  const episode = await getEpisode(actor, params.id);
  if (episode === null) throw new HttpError(404, `episode ${params.id} does not exist`);
  return episode;
});

// PATCH /api/v1/episodes/{id} {"status":"benign","assignee":"a@b.c"} — triage of the episode: every hit of it, and the
// hits that join it later. An analyst's session, or a `triage` token. Answers the episode after the change.
export const PATCH = apiRoute(
  { role: 'analyst', scopes: ['triage'], body: change },
  async ({ actor, params, body }) => {
    try {
      if ((await getEpisode(actor, params.id)) === null)
        throw new HttpError(404, `episode ${params.id} does not exist`);
      const assigneeId =
        body.assignee === undefined ? undefined : body.assignee === null ? null : await assigneeByEmail(body.assignee);
      await triageEpisodes(actor, { episodeIds: [params.id] }, { status: body.status, assigneeId });
      return await getEpisode(actor, params.id);
    } catch (error) {
      if (error instanceof TriageError) throw new HttpError(400, error.message);
      throw error;
    }
  },
);

async function assigneeByEmail(email: string): Promise<string> {
  const { rows } = await getPool().query<{ id: string }>(
    `SELECT id FROM "user" WHERE lower(email) = lower($1) AND role IN ('analyst', 'admin') AND banned IS NOT TRUE`,
    [email],
  );
  if (!rows.length) throw new TriageError(`assignee: ${email} is not an active analyst or admin`);
  return rows[0].id;
}
