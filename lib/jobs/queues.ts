// Every background job TorWatch runs, its pg-boss queue policy and its default schedule. Admins can change the
// cron expressions in Settings (stored under setting key `schedule.<queue>`).

export interface QueueDefinition {
  name: string;
  policy: 'stately' | 'singleton' | 'standard';
  defaultCron: string | null; // UTC
  description: string;
  retryLimit?: number;
  retryBackoff?: boolean;
}

export const QUEUES = {
  // stately: at most one queued and one running, so bursts of triggers coalesce and two runs never overlap.
  match: {
    name: 'match',
    policy: 'stately',
    defaultCron: '*/5 * * * *',
    description: 'Incremental match of new events',
  },
  relaysSeed: {
    name: 'relays-fetch-torrelayips',
    policy: 'stately',
    defaultCron: '30 0,12 * * *',
    description: 'Fetch TorRelayIPs.csv (after its 00:00/12:00 UTC refresh)',
    retryLimit: 3,
    retryBackoff: true,
  },
  relaysOnionoo: {
    name: 'relays-fetch-onionoo',
    policy: 'stately',
    defaultCron: '15 * * * *',
    description: 'Fetch Onionoo details',
    retryLimit: 3,
    retryBackoff: true,
  },
  relaysExits: {
    name: 'relays-fetch-bulk-exit-list',
    policy: 'stately',
    defaultCron: '20 * * * *',
    description: 'Fetch the bulk exit list',
    retryLimit: 3,
    retryBackoff: true,
  },
  connectorsTick: {
    name: 'connectors-tick',
    policy: 'stately',
    defaultCron: '* * * * *',
    description: 'Start the connectors that are due (each on its own interval); announce stalled ones',
  },
  connectorRun: {
    name: 'connector-run',
    policy: 'standard',
    defaultCron: null,
    description: 'Pull one connector (its schedule or Run now)',
  },
  relaysCollectorRecent: {
    name: 'relays-fetch-collector-recent',
    policy: 'stately',
    defaultCron: '35 * * * *',
    description: 'Fetch CollecTor recent/ consensuses and exit lists (hour-exact relay history)',
    retryLimit: 3,
    retryBackoff: true,
  },
  relaysHistoryBackfill: {
    name: 'relays-history-backfill',
    policy: 'stately',
    defaultCron: '50 */6 * * *',
    description: 'Backfill relay history archives for the months the telemetry spans',
    retryLimit: 2,
    retryBackoff: true,
  },
  eventPartitions: {
    name: 'event-partitions',
    policy: 'stately',
    defaultCron: '10 3 * * *',
    description: 'Create the month partitions of network events ahead (this month and the next two)',
  },
  webhooks: {
    name: 'webhook-deliver',
    policy: 'standard',
    defaultCron: null,
    description: 'Deliver alert webhooks',
    retryLimit: 5,
    retryBackoff: true,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]['name'];
export const ALL_QUEUES: QueueDefinition[] = Object.values(QUEUES);
