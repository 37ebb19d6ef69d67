import type { JobHandler } from '@/lib/jobs/jobHandler';
import type { QueueName } from '@/lib/jobs/queues';

// The work behind each queue, loaded when the worker starts (`torwatch serve` passes this map to startWorker). A queue
// without an entry is still created and scheduled, so jobs wait (visible on the Jobs page) until its handler exists.
export const JOB_HANDLERS: Partial<Record<QueueName, () => Promise<JobHandler>>> = {
  match: async () => (await import('./matchJob')).matchJob,
  'relays-fetch-torrelayips': async () =>
    (await import('@/lib/relays/relayFetchJob')).relayFetchJob('relays-fetch-torrelayips'),
  'relays-fetch-onionoo': async () =>
    (await import('@/lib/relays/relayFetchJob')).relayFetchJob('relays-fetch-onionoo'),
  'relays-fetch-bulk-exit-list': async () =>
    (await import('@/lib/relays/relayFetchJob')).relayFetchJob('relays-fetch-bulk-exit-list'),
  'connectors-tick': async () => (await import('@/lib/connectors/connectorJobs')).connectorsTickJob,
  'connector-run': async () => (await import('@/lib/connectors/connectorJobs')).connectorRunJob,
  'relays-fetch-collector-recent': async () =>
    (await import('@/lib/relays/archive/relayHistoryJobs')).collectorRecentJob,
  'relays-history-backfill': async () =>
    (await import('@/lib/relays/archive/relayHistoryJobs')).relayHistoryBackfillJob,
  'event-partitions': async () => (await import('@/lib/store/partitionJob')).eventPartitionsJob,
  'webhook-deliver': async () => (await import('@/lib/alerts/webhookDeliverJob')).webhookDeliverJob,
};
