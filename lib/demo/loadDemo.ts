import { Readable } from 'node:stream';
import { getPool } from '@/lib/db/pool';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { importRelaySnapshot } from '@/lib/relays/importRelaySnapshot';
import { runMatchPipeline } from '@/lib/pipeline/runMatchPipeline';
import { DEMO_FEED, demoRelayDocument, demoRelays } from './demoRelays';
import { demoDeviceInfo, demoDevices, demoNetworkEvents } from './demoTelemetry';

export interface DemoSummary {
  relays: number;
  devices: number;
  events: number;
  deviceInfoRecords: number;
  hits: number;
  durationMs: number;
}

export class DemoError extends Error {}

/** Whether demo data is loaded (a demo ingest batch or the demo relay feed exists). */
export async function demoLoaded(): Promise<boolean> {
  const { rows } = await getPool().query(
    `SELECT EXISTS (SELECT 1 FROM ingest_batch WHERE via = 'demo') OR EXISTS (SELECT 1 FROM relay_feed WHERE name = $1) AS loaded`,
    [DEMO_FEED],
  );
  return rows[0].loaded;
}

/**
 * Loads the demo dataset through the same paths user data takes (relay import, telemetry ingest, match), labelled:
 * relay feed `demo`, ingest batches via `demo`, devices `demo-…`. `torwatch demo --purge` removes all of it.
 */
export async function loadDemo(options: { actor?: string; now?: Date; events?: number } = {}): Promise<DemoSummary> {
  const started = Date.now();
  if (await demoLoaded())
    throw new DemoError('demo data is already loaded (remove it first with torwatch demo --purge)');
  const now = options.now ?? new Date();
  const relays = demoRelays();
  const devices = demoDevices();
  const relayImport = await importRelaySnapshot(Buffer.from(demoRelayDocument(relays, now)), {
    source: 'demo-relays.json',
    format: 'onionoo',
    observedAt: now,
    feedName: DEMO_FEED,
    force: true,
  });
  if (relayImport.status === 'refused') throw new DemoError(`demo relay list refused: ${relayImport.reason}`);
  const info = await ingestFile(Readable.from(demoDeviceInfo(devices, now)), {
    file: 'demo-device-info.csv',
    source: 'defender-device-info',
    via: 'demo',
    actor: options.actor,
    queueMatch: false,
  });
  const network = await ingestFile(Readable.from(demoNetworkEvents(devices, relays, now, options.events)), {
    file: 'demo-network-events.csv',
    source: 'defender-network-events',
    via: 'demo',
    actor: options.actor,
    queueMatch: false,
  });
  for (const summary of [info, network]) {
    if (summary.status !== 'committed')
      throw new DemoError(`${summary.file}: ${summary.status}: ${summary.error ?? 'see the ingest page'}`);
  }
  const match = await runMatchPipeline({ mode: 'incremental', trigger: 'demo' });
  return {
    relays: relayImport.relays,
    devices: devices.length,
    events: network.inserted,
    deviceInfoRecords: info.inserted,
    hits: match.hitsNew,
    durationMs: Date.now() - started,
  };
}
