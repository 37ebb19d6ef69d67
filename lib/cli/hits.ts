import { parseArgs } from 'node:util';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { exportHits } from '@/lib/queries/exportHits';
import { UsageError } from './errors';
import { instantOption } from './instantOption';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch hits [--from ISO] [--to ISO] [--format csv|json] [--compat]';

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        compat: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.format !== 'csv' && values.format !== 'json')
    throw new UsageError(`--format must be csv or json, got "${values.format}"`);
  const from = instantOption('--from', values.from);
  const to = instantOption('--to', values.to);
  await withDatabase(() =>
    exportHits(
      LOCAL_OPERATOR,
      { from, to, compat: Boolean(values.compat) },
      values.format as 'csv' | 'json',
      writeStdout,
    ),
  );
  return 0;
}

// A reader that stops early (`torwatch hits | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

function writeStdout(chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
