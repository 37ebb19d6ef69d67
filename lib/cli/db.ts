import { existsSync } from 'node:fs';
import path from 'node:path';
import { CommandError, UsageError } from './errors';
import { withDatabase } from './withDatabase';

export const usage = 'torwatch db migrate | torwatch db backup <file> | torwatch db restore <file>';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'migrate' && rest.length === 0) {
    // leaseDatabase applies pending migrations; say what happened.
    await withDatabase(async () => undefined);
    console.log('database is up to date');
    return 0;
  }
  if ((sub === 'backup' || sub === 'restore') && rest.length === 1 && !rest[0].startsWith('-')) {
    return sub === 'backup' ? backup(path.resolve(rest[0])) : restore(path.resolve(rest[0]));
  }
  throw new UsageError(sub ? `unknown subcommand or arguments "${args.join(' ')}"` : 'missing subcommand');
}

const log = (line: string) => process.stderr.write(`torwatch: ${line}\n`);

/**
 * The database as it is, migrations not applied (a backup records the schema it finds, a restore needs it empty):
 * DATABASE_URL, or the embedded one — attached when running (a backup while serving is consistent, §17.1), else
 * started for the command and stopped after.
 */
async function openUnmigrated(): Promise<{ url: string; embedded: boolean; owned: boolean; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, embedded: false, owned: false, stop: async () => {} };
  const { openEmbeddedDatabase } = await import('@/lib/db/embedded');
  const db = await openEmbeddedDatabase('command', log);
  return { url: db.url, embedded: true, owned: db.owned, stop: () => db.stop() };
}

async function backup(file: string): Promise<number> {
  if (existsSync(file)) throw new CommandError(`${file} exists: choose a new file name (a backup never overwrites)`);
  const { backupDatabase } = await import('@/lib/db/backup');
  const db = await openUnmigrated();
  try {
    const summary = await backupDatabase(db.url, file);
    const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    console.log(
      `${file}: ${summary.manifest.tables.length} tables, ${total} rows, ${summary.bytes} bytes, ` +
        `schema ${summary.manifest.migrations.at(-1) ?? '(none)'}, PostgreSQL ${summary.manifest.serverVersion}`,
    );
    if (summary.manifest.secretKeyIds.length)
      log(
        `its stored secrets are sealed with key ${summary.manifest.secretKeyIds.join(', ')}: keep that key ` +
          `(TORWATCH_SECRET_KEY or TORWATCH_DATA_DIR/secret-key) with the backup`,
      );
    return 0;
  } finally {
    await db.stop();
  }
}

async function restore(file: string): Promise<number> {
  if (!existsSync(file)) throw new CommandError(`${file}: no such file`);
  const { readBackupManifest, restoreDatabase, BackupFormatError } = await import('@/lib/db/backup');
  try {
    await readBackupManifest(file); // refuse a file that is not a backup before touching any database
  } catch (error) {
    if (error instanceof BackupFormatError) throw new CommandError(`${file}: ${error.message}`);
    throw error;
  }
  const db = await openUnmigrated();
  try {
    if (db.embedded) {
      const { otherLiveOwner, recreateEmbeddedDatabase } = await import('@/lib/db/embedded');
      const owner = otherLiveOwner();
      if (owner)
        throw new CommandError(
          `the embedded database is in use by ${owner.role === 'serve' ? 'torwatch serve' : 'a torwatch command'} (pid ${owner.pid}): stop it, then restore`,
        );
      await recreateEmbeddedDatabase(db.url);
    }
    const result = await restoreDatabase(db.url, file).catch((error: unknown) => {
      if (error instanceof BackupFormatError) throw new CommandError(`${file}: ${error.message}`);
      throw error;
    });
    const { sealPendingSecrets } = await import('@/lib/secrets/sealPendingSecrets');
    await sealPendingSecrets(db.url, log);
    const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
    console.log(
      `${file}: restored ${Object.keys(result.rows).length} tables, ${total} rows` +
        (result.migratedForward.length ? `; migrated forward: ${result.migratedForward.join(', ')}` : ''),
    );
    await warnOnMissingKeys(result.manifest.secretKeyIds);
    return 0;
  } finally {
    const { closeDb } = await import('@/lib/db/pool');
    await closeDb();
    await db.stop();
  }
}

async function warnOnMissingKeys(keyIds: string[]): Promise<void> {
  if (!keyIds.length) return;
  const { secretKeyRing } = await import('@/lib/secrets/secretKey');
  let ring: string[] = [];
  try {
    ring = secretKeyRing().map((k) => k.id);
  } catch {
    /* no key configured yet: every id is missing */
  }
  const missing = keyIds.filter((id) => !ring.includes(id));
  if (missing.length)
    log(
      `stored secrets are sealed with key ${missing.join(', ')}, which is not configured here: set TORWATCH_SECRET_KEY ` +
        `(or copy the secret-key file of the old data directory) or re-enter the secrets`,
    );
}
