import { parseArgs } from 'node:util';
import { CommandError, UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch demo [--purge]';

/** Loads the labelled demo dataset (relays, ~200 demo-… devices, 30 days of telemetry, matched) or removes it. */
export async function run(args: string[]): Promise<number> {
  let purge: boolean;
  try {
    purge = Boolean(parseArgs({ args, options: { purge: { type: 'boolean' } } }).values.purge);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return withDatabase(async () => {
    if (purge) {
      const { purgeDemo } = await import('@/lib/demo/purgeDemo');
      const removed = await purgeDemo();
      console.log(
        `demo removed: batches=${removed.batches} events=${removed.events} hits=${removed.hits} devices=${removed.devices} relay_addresses=${removed.relayAddresses}`,
      );
      return 0;
    }
    const { loadDemo, DemoError } = await import('@/lib/demo/loadDemo');
    try {
      const loaded = await loadDemo({ actor: 'cli' });
      console.log(
        `demo loaded: relays=${loaded.relays} devices=${loaded.devices} events=${loaded.events} device_info=${loaded.deviceInfoRecords} hits=${loaded.hits} (${(loaded.durationMs / 1000).toFixed(1)} s)`,
      );
      return 0;
    } catch (error) {
      if (error instanceof DemoError) throw new CommandError(error.message);
      throw error;
    }
  });
}
