import pg from 'pg';
import { env } from '@/lib/env';

// TORWATCH_DISTRIBUTED=citus (docs/architecture.md §17.2): with DATABASE_URL at a Citus coordinator, every time the
// migrations are applied the telemetry tables are made distributed by device, so a table a newer migration adds
// (or a single-node install restored into the coordinator) gets the same layout. Everything else stays the same SQL:
// the tables not listed stay ordinary tables on the coordinator. Idempotent: a table already distributed is left.

/** Telemetry tables spread over the workers, by the device column they carry (the first that exists). */
export const DISTRIBUTED_BY_DEVICE: ReadonlyArray<{ table: string; columns: string[] }> = [
  { table: 'network_event', columns: ['device_key', 'device_id'] },
  { table: 'connection_summary', columns: ['device_key', 'device_id'] },
];

/** Small tables every worker needs whole for the match's joins (none yet: see §17.2 "Limits"). */
export const REFERENCE_TABLES: ReadonlyArray<string> = [];

export function distributedMode(): 'citus' | null {
  return env('TORWATCH_DISTRIBUTED') === 'citus' ? 'citus' : null;
}

/**
 * How network_event is laid out in this database — read from the catalog, not the environment, so a process started
 * without TORWATCH_DISTRIBUTED still plans its queries for the layout the migrations made.
 */
export async function eventLayout(db: {
  query(sql: string): Promise<{ rows: Array<Record<string, unknown>>; rowCount: number | null }>;
}): Promise<'single' | 'citus'> {
  const { rows } = await db.query(`SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus`);
  if (!rows[0].citus) return 'single';
  const distributed = await db.query(
    `SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass('public.network_event')`,
  );
  return distributed.rowCount ? 'citus' : 'single';
}

/** Applies the distributed layout when TORWATCH_DISTRIBUTED=citus; returns what it changed ([] when nothing). */
export async function applyDistributedLayout(db: pg.ClientBase): Promise<string[]> {
  if (distributedMode() !== 'citus') return [];
  const citus = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
  if (!citus.rowCount)
    throw new Error(
      'TORWATCH_DISTRIBUTED=citus, but this database has no citus extension: create the database on every node with ' +
        'the extension and register the workers (docs/scaling.md), or unset TORWATCH_DISTRIBUTED',
    );
  const workers = await db.query(
    `SELECT 1 FROM pg_dist_node WHERE shouldhaveshards AND isactive AND noderole = 'primary'`,
  );
  if (!workers.rowCount)
    throw new Error('TORWATCH_DISTRIBUTED=citus, but the coordinator has no worker registered (citus_add_node)');

  const done: string[] = [];
  const state = await db.query<{ name: string; method: string }>(
    `SELECT logicalrelid::regclass::text AS name, partmethod AS method FROM pg_dist_partition`,
  );
  const known = new Map(state.rows.map((r) => [r.name, r.method]));
  let colocateWith: string | null = null;
  for (const { table, columns } of DISTRIBUTED_BY_DEVICE) {
    const cols = await db.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
      [`public.${table}`],
    );
    const column = columns.find((c) => cols.rows.some((r) => r.attname === c));
    if (!column) continue; // the table (or its device column) does not exist at this schema level
    if (known.get(table) === 'h') {
      colocateWith ??= table;
      continue;
    }
    if (known.has(table)) throw new Error(`${table} is already a Citus table of another kind; cannot distribute it`);
    await includeColumnInKeys(db, table, column);
    await db.query(`SELECT create_distributed_table($1, $2, colocate_with => $3)`, [
      table,
      column,
      colocateWith ?? 'default',
    ]);
    colocateWith ??= table;
    done.push(`${table} distributed by ${column}`);
  }
  for (const table of REFERENCE_TABLES) {
    const exists = await db.query(`SELECT to_regclass($1) AS t`, [`public.${table}`]);
    if (!exists.rows[0].t || known.get(table) === 'n') continue;
    await db.query(`SELECT create_reference_table($1)`, [table]);
    done.push(`${table} as a reference table`);
  }
  return done;
}

/**
 * Citus requires every primary key and unique constraint of a distributed table to contain the distribution column:
 * a key that lacks it is rebuilt with the column first (the key stays a key: a superset of a unique set is unique).
 */
async function includeColumnInKeys(db: pg.ClientBase, table: string, column: string): Promise<void> {
  const keys = await db.query<{ name: string; type: string; columns: string[] }>(
    `SELECT c.conname AS name, c.contype AS type,
            array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS columns
     FROM pg_constraint c WHERE c.conrelid = to_regclass($1) AND c.contype IN ('p', 'u')`,
    [`public.${table}`],
  );
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
  // Unique indexes that are not constraints (what Prisma's @@unique makes) are rebuilt the same way.
  const indexes = await db.query<{ name: string; columns: string[]; plain: boolean }>(
    `SELECT ci.relname AS name, i.indexprs IS NULL AND i.indpred IS NULL AS plain,
            array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
     FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
     WHERE i.indrelid = to_regclass($1) AND i.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [`public.${table}`],
  );
  for (const index of indexes.rows) {
    if (index.columns.includes(column)) continue;
    if (!index.plain)
      throw new Error(`unique index ${index.name} on ${table} lacks ${column} and is not plain columns`);
    await db.query(`DROP INDEX ${q(index.name)}`);
    await db.query(
      `CREATE UNIQUE INDEX ${q(index.name)} ON ${q(table)} (${[column, ...index.columns].map(q).join(', ')})`,
    );
  }
  for (const key of keys.rows) {
    if (key.columns.includes(column)) continue;
    const list = [column, ...key.columns].map(q).join(', ');
    await db.query(`ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(key.name)}`);
    await db.query(
      `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(key.name)} ${key.type === 'p' ? 'PRIMARY KEY' : 'UNIQUE'} (${list})`,
    );
  }
}
