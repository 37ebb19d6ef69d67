import { UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch db migrate';

export async function run(args: string[]): Promise<number> {
  if (args[0] !== 'migrate' || args.length > 1)
    throw new UsageError(args[0] ? `unknown subcommand "${args[0]}"` : 'missing subcommand');
  // leaseDatabase applies pending migrations; say what happened.
  await withDatabase(async () => undefined);
  console.log('database is up to date');
  return 0;
}
