import { STATUSES, type HitStatus } from '@/lib/hits/hitValues';

/** The statuses in triage order: the one list of hit statuses (lib/hits/hitValues.ts). */
export const TRIAGE_STATUSES = STATUSES;
export const STATUS_LABELS: Record<HitStatus, string> = {
  new: 'New',
  investigating: 'Investigating',
  true_positive: 'True positive',
  benign: 'Benign',
  suppressed: 'Suppressed',
};
