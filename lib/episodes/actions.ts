'use server';

import { revalidatePath } from 'next/cache';
import { requireActionRole } from '@/lib/auth/guard';
import { parseHitFilter, STATUSES, type HitStatus } from '@/lib/hits/filters';
import type { TriageActionResult } from '@/lib/triage/actions';
import { triageEpisodes, type EpisodeTarget } from './triageEpisodes';

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** Episode triage from the Episodes page: the selection (`episodeIds`) or every episode the filter matches. */
export async function triageEpisodesAction(
  target: { episodeIds?: string[]; filterQuery?: string },
  change: { status?: string; assigneeId?: string | null },
): Promise<TriageActionResult> {
  try {
    const actor = await requireActionRole('analyst');
    if (change.status !== undefined && !(STATUSES as readonly string[]).includes(change.status))
      return { ok: false, message: `status: one of ${STATUSES.join(', ')}` };
    const resolved: EpisodeTarget = target.episodeIds
      ? { episodeIds: target.episodeIds }
      : { filter: parseHitFilter(new URLSearchParams(target.filterQuery ?? '')) };
    const { episodes, hits } = await triageEpisodes(actor, resolved, {
      status: change.status as HitStatus | undefined,
      assigneeId: change.assigneeId,
    });
    revalidatePath('/episodes', 'layout');
    revalidatePath('/hits', 'layout');
    return { ok: true, message: `${plural(episodes, 'episode')} updated (${plural(hits, 'hit')}).` };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
