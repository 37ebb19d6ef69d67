import type { HitStatus } from '@/lib/hits/filters';

// Client-safe copy of the status list (lib/hits/filters pulls in the Prisma client, which must not reach the browser);
// the `satisfies` keeps it in step with STATUSES' type.
export const TRIAGE_STATUSES = [
  'new',
  'investigating',
  'true_positive',
  'benign',
  'suppressed',
] as const satisfies readonly HitStatus[];
export const STATUS_LABELS: Record<HitStatus, string> = {
  new: 'New',
  investigating: 'Investigating',
  true_positive: 'True positive',
  benign: 'Benign',
  suppressed: 'Suppressed',
};
