import { hasRole, type Actor } from '@/lib/auth/roles';
import { getHitTriage } from '@/lib/triage/getHitTriage';
import { listAssignees } from '@/lib/triage/listAssignees';
import { HitTriagePanel } from './HitTriagePanel';

/** The triage block of the hit detail panel (a server component: loads the hit's triage state for the panel). */
export async function HitTriageSection({
  actor,
  hitId,
  returnTo = '/hits',
}: {
  actor: Actor;
  hitId: string;
  returnTo?: string;
}) {
  const [triage, assignees] = await Promise.all([getHitTriage(actor, hitId), listAssignees(actor)]);
  if (!triage) return null;
  const suppressHref = `/rules/new?${new URLSearchParams({ hit: hitId, returnTo })}`;
  return (
    <HitTriagePanel
      triage={triage}
      assignees={assignees}
      canTriage={hasRole(actor, 'analyst')}
      suppressHref={suppressHref}
    />
  );
}
