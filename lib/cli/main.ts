import { CommandError, UsageError } from './errors';
import { closeDb } from '@/lib/db/pool';
import { env } from '@/lib/env';

// Dispatches `torwatch <command> …` (docs/architecture.md §9.1). Each command lives in its own module with
// `run(args): Promise<number>` and its own usage line.
export interface Command {
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: () => import('./serve'),
  db: () => import('./db'),
  ingest: () => import('./ingest'),
  user: () => import('./user'),
  token: () => import('./token'),
  match: () => import('./match'),
  hits: () => import('./hits'),
  episodes: () => import('./episodes'),
  demo: () => import('./demo'),
  relays: () => import('./relays'),
  connector: () => import('./connector'),
  secrets: () => import('./secrets'),
  report: () => import('./report'),
  retention: () => import('./retention'),
};

export function usage(): string {
  return [
    'usage: torwatch <command> [options]',
    '',
    '  serve                         run the web app, the worker and (without DATABASE_URL) the embedded database',
    '  db migrate                    apply pending migrations',
    '  db backup|restore <file>      a consistent backup of the database / restore one (then migrate forward)',
    '  relays import|fetch|lookup    relay lists (torwatch relays --help)',
    '  ingest <file…>                load telemetry files',
    '  match [--full]                match events against relay data',
    '  hits [--from] [--to] [--format csv|json] [--compat]',
    '  episodes [--from] [--to] [--format csv|json] [--rebuild]',
    '  user add --email E --role admin|analyst|viewer [--password-stdin]',
    '  token create --name N --scope ingest|read|triage|relays [--expires ISO]',
    '  demo [--purge]                load or remove the demo dataset',
    '  connector add|list|pause|resume|remove|run|interval   telemetry pulled on a schedule (torwatch connector --help)',
    '  secrets rotate [--new-key]    re-encrypt stored secrets with the current (or a new) key',
    '  report send --to a@x[,b@y] [--period 7d|30d|90d]   e-mail the report now (SMTP: TORWATCH_SMTP_URL or Settings)',
    '  retention show|apply [--dry-run]   what raw-event and summary months retention drops (show = dry run)',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`torwatch: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`torwatch ${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`torwatch ${name}: ${message}`);
    if (env('TORWATCH_DEBUG') && error instanceof Error && !(error instanceof CommandError)) console.error(error.stack);
    return 1;
  } finally {
    await closeDb().catch(() => {});
  }
}
