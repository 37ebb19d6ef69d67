import { parseArgs } from 'node:util';
import { UsageError } from './errors';
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
  const from = parseInstant('--from', values.from);
  const to = parseInstant('--to', values.to);
  const { writeEpisodes } = await import('@/lib/episodes/writeEpisodes');
  await withDatabase(() => writeEpisodes({ from, to, format: values.format as 'csv' | 'json' }, writeStdout));
  return 0;
}

function parseInstant(flag: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime()))
    throw new UsageError(`${flag} must be an ISO 8601 time, got "${text}"`);
  return date;
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
