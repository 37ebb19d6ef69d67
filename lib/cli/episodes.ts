import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { instantOption } from './instantOption';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch episodes [--from ISO] [--to ISO] [--format csv|json] | torwatch episodes --rebuild';

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        rebuild: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.rebuild) {
    const { rebuildEpisodes } = await import('@/lib/episodes/rebuildEpisodes');
    const result = await withDatabase(() => rebuildEpisodes());
    console.log(
      `episodes=${result.episodes} created=${result.created} removed=${result.removed} differences=${result.differences}`,
    );
    return result.differences === 0 ? 0 : 1;
  }
  if (values.format !== 'csv' && values.format !== 'json')
    throw new UsageError(`--format must be csv or json, got "${values.format}"`);
  const from = instantOption('--from', values.from);
  const to = instantOption('--to', values.to);
  const { writeEpisodes } = await import('@/lib/episodes/writeEpisodes');
  await withDatabase(() => writeEpisodes({ from, to, format: values.format as 'csv' | 'json' }, writeStdout));
  return 0;
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

function writeStdout(chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
