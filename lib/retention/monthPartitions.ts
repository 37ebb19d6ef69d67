import type pg from 'pg';

// Month partitions by name (docs/architecture.md §16.2): `<parent>_yYYYYmMM` holds [1st of the month 00:00 UTC, 1st
// of the next month). network_event's are made by ingest and the worker (scale-store's lib/store); the summaries'
// by summarizeBatch. Retention reads both through the catalogue, so a partition made by hand counts as well.

export interface MonthPartition {
  /** The partition table's name (unqualified, in the public schema). */
  name: string;
  /** Lower bound, inclusive: midnight UTC on the 1st. */
  from: Date;
  /** Upper bound, exclusive. */
  to: Date;
}

const MONTH_SUFFIX = /_y(\d{4})m(\d{2})$/;

export function monthPartitionName(parent: string, month: Date): string {
  const year = month.getUTCFullYear();
  const number = String(month.getUTCMonth() + 1).padStart(2, '0');
  return `${parent}_y${year}m${number}`;
}

/** The month containing `at`, as its first instant (UTC). */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextMonth(month: Date): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
}

/** The month partitions of `parent` the catalogue lists, oldest first; other partitions (a default) are ignored. */
export async function listMonthPartitions(db: pg.ClientBase | pg.Pool, parent: string): Promise<MonthPartition[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE p.relname = $1 AND n.nspname = current_schema()`,
    [parent],
  );
  const partitions: MonthPartition[] = [];
  for (const { name } of rows) {
    const found = MONTH_SUFFIX.exec(name);
    if (!found || name !== `${parent}${found[0]}`) continue;
    const from = new Date(Date.UTC(Number(found[1]), Number(found[2]) - 1, 1));
    partitions.push({ name, from, to: nextMonth(from) });
  }
  return partitions.sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Creates the month partitions of `parent` for the given months when missing. The caller holds a lock that keeps
 * other creators out (ingest: the event-writer lock). Like the event partitions (migration compact_event_store), a
 * month is made by CREATE TABLE + ATTACH PARTITION: attaching locks the parent SHARE UPDATE EXCLUSIVE, so readers —
 * a backup's snapshot, a match — go on, where CREATE … PARTITION OF would queue for an exclusive lock behind them
 * (an ingest then waited for a running backup to end). Existing months take no lock at all.
 */
export async function ensureMonthPartitions(db: pg.ClientBase, parent: string, months: Date[]): Promise<void> {
  const existing = new Set((await listMonthPartitions(db, parent)).map((p) => p.name));
  const missing = months.filter((month) => !existing.has(monthPartitionName(parent, month)));
  if (!missing.length) return;
  // On Citus (§17.2) a month attached after the batch's rows went to the workers would be distributed over connections
  // the transaction already used, which Citus refuses; there the one-statement PARTITION OF is kept.
  const { rows } = await db.query<{ citus: boolean }>(
    `SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus`,
  );
  for (const month of missing) {
    const name = monthPartitionName(parent, month);
    if (existing.has(name)) continue;
    if (rows[0].citus) {
      await db.query(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${parent}"
         FOR VALUES FROM ('${month.toISOString()}') TO ('${nextMonth(month).toISOString()}')`,
      );
      existing.add(name);
      continue;
    }
    // Identifiers and bounds come from dates we formatted, not from input; DDL takes no parameters.
    await db.query(
      `CREATE TABLE IF NOT EXISTS "${name}" (LIKE "${parent}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
    );
    await db.query(
      `ALTER TABLE "${parent}" ATTACH PARTITION "${name}"
       FOR VALUES FROM ('${month.toISOString()}') TO ('${nextMonth(month).toISOString()}')`,
    );
    existing.add(name);
  }
}
