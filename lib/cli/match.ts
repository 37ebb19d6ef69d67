import { parseArgs } from 'node:util';
import { runMatchPipeline } from '@/lib/pipeline/runMatchPipeline';
import { UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch match [--full]';

export async function run(args: string[]): Promise<number> {
  let full: boolean;
  try {
    full = Boolean(parseArgs({ args, options: { full: { type: 'boolean' } } }).values.full);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const result = await withDatabase(() => runMatchPipeline({ mode: full ? 'full' : 'incremental', trigger: 'cli' }));
  console.log(
    `scanned=${result.eventsScanned} hits_new=${result.hitsNew}` +
      (result.hitsUpdated || result.hitsRetired
        ? ` hits_updated=${result.hitsUpdated} hits_retired=${result.hitsRetired}`
        : ''),
  );
  return 0;
}
