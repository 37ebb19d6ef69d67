'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/lib/auth/serverAction';
import { HitFilterError, parseHitFilter, STATUSES } from '@/lib/hits/filters';
import type { TriageActionResult } from '@/lib/triage/actions';
import { TriageError } from '@/lib/triage/triageHits';
import { triageEpisodes, type EpisodeTarget } from './triageEpisodes';

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
const status = z.enum(STATUSES, `status: one of ${STATUSES.join(', ')}`);

/** Episode triage from the Episodes page: the selection (`episodeIds`) or every episode the filter matches. */
export const triageEpisodesAction = serverAction(
  {
    name: 'triageEpisodesAction',
    role: 'analyst',
    input: z.object({
      target: z.object({
        episodeIds: z.array(z.string().max(40)).optional(),
        filterQuery: z.string().max(8192).optional(),
      }),
      change: z.object({ status: status.optional(), assigneeId: z.string().max(100).nullable().optional() }),
    }),
    from: (
      target: { episodeIds?: string[]; filterQuery?: string },
      change: { status?: string; assigneeId?: string | null },
    ) => ({ target, change }),
    fail: (message: string): TriageActionResult => ({ ok: false, message }),
    expected: [TriageError, HitFilterError],
  },
  async ({ actor, input: { target, change } }): Promise<TriageActionResult> => {
    const resolved: EpisodeTarget = target.episodeIds
      ? { episodeIds: target.episodeIds }
      : { filter: parseHitFilter(new URLSearchParams(target.filterQuery ?? '')) };
    const { episodes, hits } = await triageEpisodes(actor, resolved, {
      status: change.status,
      assigneeId: change.assigneeId,
    });
    revalidatePath('/episodes', 'layout');
    revalidatePath('/hits', 'layout');
    return { ok: true, message: `${plural(episodes, 'episode')} updated (${plural(hits, 'hit')}).` };
  },
);
