import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { applyMigrations } from './migrate';
import { MIGRATIONS_DIR } from './prismaPaths';

// `torwatch db backup` / `db restore` (docs/architecture.md §17.1). The schema is the migrations' (the backup records
// which were applied); the data is every table of the `public` schema as COPY text, read in one REPEATABLE READ READ
// ONLY transaction — the same snapshot pg_dump takes, so a backup made while serving is consistent. A restore applies
// the migrations up to the backup's, COPYs the rows back in one transaction, resets the sequences, then migrates
// forward: a backup made by an older release restores into a newer one, and into any PostgreSQL ≥ 15 (the embedded
// one, an external one, or a Citus coordinator whose tables are distributed before the rows arrive).
//
// File: gzip of  "TORWATCH-BACKUP 1\n" + manifest JSON + "\n", then per table framed COPY text (u32 length + bytes,
// a zero length ends the table), then "\n" + trailer JSON (row counts) + "\n". A missing or short trailer = a
// truncated file, refused before anything is committed.

const MAGIC = 'TORWATCH-BACKUP 1';
const SESSION = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'`;

export interface BackupTable {
  name: string;
  columns: string[];
}

export interface BackupManifest {
  format: 1;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  tables: BackupTable[];
  partitions: Array<{ name: string; parent: string; bound: string }>;
  sequences: Array<{ name: string; lastValue: string | null; isCalled: boolean }>;
  secretKeyIds: string[];
}

export interface BackupSummary {
  manifest: BackupManifest;
  rows: Record<string, number>;
  bytes: number;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Writes a consistent backup of the database at `url` into `file` (via `file.partial`, renamed when complete).
 * `afterTable` runs after each table is read (tests use it to commit writes in the middle of a backup).
 */
export async function backupDatabase(
  url: string,
  file: string,
  options: { afterTable?: (name: string) => Promise<void> } = {},
): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  const gzip = createGzip({ level: 6 });
  gzip.pipe(out);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(SESSION);
    const manifest = await readManifest(client);
    await write(gzip, Buffer.from(`${MAGIC}\n${JSON.stringify(manifest)}\n`));
    const rows: Record<string, number> = {};
    for (const table of manifest.tables) {
      const columns = table.columns.map(ident).join(', ');
      const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM ${ident(table.name)}) TO STDOUT`));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.length);
        await write(gzip, length);
        await write(gzip, chunk);
      }
      await write(gzip, Buffer.alloc(4));
      rows[table.name] = Number(stream.rowCount);
      await options.afterTable?.(table.name);
    }
    await write(gzip, Buffer.from(`\n${JSON.stringify({ rows })}\n`));
    await client.query('COMMIT');
    gzip.end();
    await once(out, 'close');
    renameSync(partial, file);
    return { manifest, rows, bytes: out.bytesWritten };
  } catch (error) {
    gzip.destroy();
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function write(gzip: Gzip, data: Buffer): Promise<void> {
  if (!gzip.write(data)) await once(gzip, 'drain');
}

async function readManifest(client: pg.Client): Promise<BackupManifest> {
  const migrations = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
     ORDER BY migration_name`,
  );
  // Ordinary and partitioned tables of `public` (not the partitions: their parent's SELECT reads them), in an order
  // where a table comes after the tables its foreign keys point at.
  const tables = await client.query<{ name: string; columns: string[]; refs: string[] }>(
    `SELECT c.relname AS name,
            array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attgenerated = '' ORDER BY a.attnum)::text[] AS columns,
            array(SELECT DISTINCT r.relname FROM pg_constraint f JOIN pg_class r ON r.oid = f.confrelid
                  WHERE f.conrelid = c.oid AND f.contype = 'f' AND r.oid <> c.oid)::text[] AS refs
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> '_prisma_migrations' AND c.relpersistence = 'p'
     ORDER BY c.relname`,
  );
  const partitions = await client.query<{ name: string; parent: string; bound: string }>(
    `SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class p ON p.oid = i.inhparent
     WHERE n.nspname = 'public' AND c.relispartition AND c.relkind IN ('r', 'p') -- not the indexes' partitions
     ORDER BY p.relname, c.relname`,
  );
  const sequences = await client.query<{ name: string; last_value: string | null; is_called: boolean }>(
    `SELECT sequencename AS name, last_value::text, last_value IS NOT NULL AS is_called
     FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
  );
  const hasSecrets = tables.rows.some((t) => t.name === 'secret' && t.columns.includes('key_id'));
  const keys = hasSecrets
    ? (await client.query<{ key_id: string }>('SELECT DISTINCT key_id FROM secret ORDER BY key_id')).rows
    : [];
  const version = await client.query<{ server_version: string }>('SHOW server_version');
  return {
    format: 1,
    createdAt: new Date().toISOString(),
    serverVersion: version.rows[0].server_version,
    migrations: migrations.rows.map((r) => r.migration_name),
    tables: sortByReferences(tables.rows).map(({ name, columns }) => ({ name, columns })),
    partitions: partitions.rows,
    sequences: sequences.rows.map((s) => ({ name: s.name, lastValue: s.last_value, isCalled: s.is_called })),
    secretKeyIds: keys.map((k) => k.key_id),
  };
}

function sortByReferences<T extends { name: string; refs: string[] }>(tables: T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: T[] = [];
  const visit = (t: T, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const ref of t.refs) {
      const target = byName.get(ref);
      if (target) visit(target, path);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** Reads a backup file frame by frame (gunzipped as it streams). */
class BackupReader {
  private buffered: Buffer[] = [];
  private size = 0;
  private iterator: AsyncIterator<Buffer>;

  constructor(file: string) {
    this.iterator = createReadStream(file).pipe(createGunzip())[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<boolean> {
    while (this.size < n) {
      const next = await this.iterator.next();
      if (next.done) return false;
      this.buffered.push(next.value);
      this.size += next.value.length;
    }
    return true;
  }

  async take(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new BackupFormatError('the backup file is truncated');
    const all = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.size = rest.length;
    return head;
  }

  async line(limit = 64 * 1024 * 1024): Promise<string> {
    for (;;) {
      const all = Buffer.concat(this.buffered);
      this.buffered = [all];
      const end = all.indexOf(0x0a);
      if (end >= 0) return (await this.take(end + 1)).subarray(0, end).toString('utf8');
      if (all.length > limit || !(await this.fill(all.length + 1)))
        throw new BackupFormatError('the backup file is truncated or not a TorWatch backup');
    }
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

export class BackupFormatError extends Error {}

/** The manifest of a backup file, without restoring it. */
export async function readBackupManifest(file: string): Promise<BackupManifest> {
  const reader = new BackupReader(file);
  try {
    return await readHeader(reader);
  } finally {
    await reader.close();
  }
}

async function readHeader(reader: BackupReader): Promise<BackupManifest> {
  let magic: string;
  try {
    magic = await reader.line(64);
  } catch (error) {
    if (error instanceof BackupFormatError) throw new BackupFormatError('not a TorWatch backup');
    throw new BackupFormatError(`not a TorWatch backup (${(error as Error).message})`);
  }
  if (magic !== MAGIC) throw new BackupFormatError('not a TorWatch backup (or one made by a newer TorWatch)');
  return JSON.parse(await reader.line()) as BackupManifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  rows: Record<string, number>;
  migratedForward: string[];
}

/**
 * Restores `file` into the empty database at `url`: migrations up to the backup's, the rows in one transaction
 * (triggers off while they load: they already ran when the rows were first written), the sequences, then the
 * migrations the backup predates. Refuses a database that already holds TorWatch tables.
 */
export async function restoreDatabase(url: string, file: string): Promise<RestoreResult> {
  const reader = new BackupReader(file);
  try {
    const manifest = await readHeader(reader);
    const local = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const unknown = manifest.migrations.filter((m) => !local.includes(m));
    if (unknown.length)
      throw new BackupFormatError(
        `the backup was made by a newer TorWatch (migration ${unknown[0]} is unknown here): restore it with that release or a later one`,
      );
    const last = manifest.migrations.at(-1) ?? '';
    const skipped = local.filter((m) => m <= last && !manifest.migrations.includes(m));
    if (skipped.length)
      throw new BackupFormatError(`the backup's database never applied migration ${skipped[0]}: cannot restore it`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const existing = await client.query(
        `SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' LIMIT 1`,
      );
      if (existing.rowCount)
        throw new BackupFormatError(
          'the target database is not empty: restore into a new, empty database (the embedded one is re-created by `torwatch db restore`)',
        );
      await applyMigrations(url, { upTo: last });

      await client.query('BEGIN');
      await client.query(SESSION.replaceAll('SET ', 'SET LOCAL '));
      for (const p of manifest.partitions) {
        await client.query(`CREATE TABLE IF NOT EXISTS ${ident(p.name)} PARTITION OF ${ident(p.parent)} ${p.bound}`);
      }
      // Rows a migration seeded (defaults) are in the backup as they were then.
      if (manifest.tables.length)
        await client.query(`TRUNCATE ${manifest.tables.map((t) => ident(t.name)).join(', ')}`);
      const rows: Record<string, number> = {};
      for (const table of manifest.tables) {
        // Only tables with triggers of their own (hit's episode triggers) need them off; the event tables —
        // distributed on Citus — have none, so no trigger DDL ever reaches a distributed table.
        const triggered = Boolean(
          (
            await client.query(`SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal LIMIT 1`, [
              ident(table.name),
            ])
          ).rowCount,
        );
        if (triggered) await client.query(`ALTER TABLE ${ident(table.name)} DISABLE TRIGGER USER`);
        const columns = table.columns.map(ident).join(', ');
        const stream = client.query(copyFrom(`COPY ${ident(table.name)} (${columns}) FROM STDIN`));
        // One chunk in flight at a time, as lib/ingest/copyIn.ts explains: a rejected COPY forgets the connection.
        const settle = (start: (done: (error?: Error | null) => void) => void) =>
          new Promise<void>((resolve, reject) => {
            stream.once('error', reject);
            start((error) => {
              stream.off('error', reject);
              if (error) reject(error);
              else resolve();
            });
          });
        try {
          for (;;) {
            const length = (await reader.take(4)).readUInt32BE(0);
            if (length === 0) break;
            const chunk = await reader.take(length);
            await settle((done) => stream.write(chunk, done));
          }
          await settle((done) => stream.end(done));
        } catch (error) {
          // CopyFail, so the connection leaves COPY mode and the transaction can roll back.
          if (!stream.destroyed) {
            const closed = once(stream, 'close').catch(() => undefined);
            stream.destroy(error as Error);
            await closed;
          }
          throw error;
        }
        rows[table.name] = Number(stream.rowCount);
        if (triggered) await client.query(`ALTER TABLE ${ident(table.name)} ENABLE TRIGGER USER`);
      }
      for (const s of manifest.sequences) {
        if (s.lastValue === null) continue;
        await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [ident(s.name), s.lastValue, s.isCalled]);
      }
      await reader.line(); // the empty line before the trailer
      const trailer = JSON.parse(await reader.line()) as { rows: Record<string, number> };
      for (const table of manifest.tables) {
        if (trailer.rows[table.name] !== rows[table.name])
          throw new BackupFormatError(
            `table ${table.name}: the backup lists ${trailer.rows[table.name]} rows, ${rows[table.name]} were read`,
          );
      }
      await client.query('COMMIT');
      const migratedForward = await applyMigrations(url);
      return { manifest, rows, migratedForward };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      await client.end().catch(() => {});
    }
  } finally {
    await reader.close();
  }
}
