import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { getPool } from './pool';
import { MIGRATIONS_DIR } from './prismaPaths';
import type { SchemaEngine } from './schemaEngine';

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * Applies every pending migration under prisma/migrations (idempotent; Prisma's `_prisma_migrations` table records
 * them). `upTo`: only the folders up to that one (a restore rebuilds the schema a backup was made with, §17.1).
 */
export async function applyMigrations(connectionString: string, options: { upTo?: string } = {}): Promise<string[]> {
  // Loading the WebAssembly engine takes seconds; when every migration is recorded as applied, skip it.
  if (!options.upTo && (await allApplied(connectionString))) {
    await distribute(connectionString);
    return [];
  }
  const engine = await openEngine(connectionString);
  let applied: string[];
  try {
    await retryAtomicFailures(engine, connectionString);
    const result = await engine.applyMigrations({
      migrationsList: await readMigrationsList(options.upTo),
      filters: NO_FILTERS,
    } as never);
    applied = (result as { appliedMigrationNames: string[] }).appliedMigrationNames;
  } finally {
    engine.free();
  }
  await distribute(connectionString);
  return applied;
}

/**
 * A migration that runs in one transaction (its script between `BEGIN;` and `COMMIT;`) and failed left nothing
 * behind, yet Prisma refuses every later run until it is marked rolled back: it is marked so, to be applied again
 * (docs/architecture.md §4.6). A failure of any other migration may have left part of it: still refused.
 */
async function retryAtomicFailures(engine: SchemaEngine, connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  let failed: string[];
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations
       WHERE finished_at IS NULL AND rolled_back_at IS NULL AND logs IS NOT NULL`,
    );
    failed = rows.map((r) => r.name);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return; // a new database: no migration table yet
    throw error;
  } finally {
    await client.end();
  }
  for (const name of failed) {
    const sql = await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8').catch(() => null);
    if (sql === null || !isAtomic(sql)) continue;
    console.error(`torwatch: migration ${name} failed earlier and left nothing (one transaction): applying it again`);
    await engine.markMigrationRolledBack({ migrationName: name } as never);
  }
}

/** Whether a migration script is one transaction: `BEGIN;` first and `COMMIT;` last, comments aside. */
export function isAtomic(sql: string): boolean {
  const statements = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim();
  return statements.startsWith('BEGIN;') && statements.endsWith('COMMIT;');
}

/** TORWATCH_DISTRIBUTED=citus: the distributed layout after every application of the migrations (§17.2). */
async function distribute(connectionString: string): Promise<void> {
  const { applyDistributedLayout, distributedMode } = await import('./distributed');
  if (!distributedMode()) return;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('torwatch distributed layout'))`);
    await applyDistributedLayout(client);
  } finally {
    await client.end();
  }
}

/**
 * SQL that takes the datamodel `from` (null: an empty database) to `to` ('' when they match). Diffing two
 * datamodels needs no database: the engine's introspection through the pg adapter cannot read every catalog type,
 * so the schema as of the latest migration is kept beside the migrations instead (prisma/migrations/schema.snapshot.prisma).
 */
export async function diffSchemas(connectionString: string, from: string | null, to: string): Promise<string> {
  const engine = await openEngine(connectionString);
  try {
    const result = await engine.diff({
      from:
        from === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    } as never);
    return (result as { stdout: string }).stdout;
  } finally {
    engine.free();
  }
}

async function readMigrationsList(upTo?: string) {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const directories = entries
    .filter((e) => e.isDirectory() && (upTo === undefined || e.name <= upTo))
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

async function allApplied(connectionString: string): Promise<boolean> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const wanted = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  // A command checks the database it is about to use: through the process's pool, whose connection the command then
  // reuses (a connection of its own costs a command ~10 ms to open and close).
  const ownPool = connectionString === process.env.DATABASE_URL;
  const client = ownPool ? getPool() : new pg.Client({ connectionString });
  if (!ownPool) await (client as pg.Client).connect();
  try {
    const table = await client.query(`SELECT to_regclass('public._prisma_migrations') AS t`);
    if (!table.rows[0].t) return false;
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return wanted.every((name) => applied.has(name));
  } finally {
    if (!ownPool) await (client as pg.Client).end();
  }
}

/** The WebAssembly engine and its adapter load only when a migration is pending (most commands never need them). */
async function openEngine(connectionString: string): Promise<SchemaEngine> {
  const { openSchemaEngine } = await import('./schemaEngine');
  return openSchemaEngine(connectionString);
}
