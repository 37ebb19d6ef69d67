import { STATUSES, type HitStatus } from '@/lib/hits/filters';

export const TRIAGE_STATUSES = STATUSES;
export const STATUS_LABELS: Record<HitStatus, string> = {
  new: 'New', investigating: 'Investigating', true_positive: 'True positive', benign: 'Benign', suppressed: 'Suppressed',
};
