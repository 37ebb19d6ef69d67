// npm run bench:relay-import — importRelaySnapshot on a real-shaped 10,000-row TorRelayIPs.csv, against a baseline
// measured in the same run on the same fresh database: a bare INSERT (then UPDATE) of the same 10,000 addresses into
// a table of relay_address's shape (LIKE … INCLUDING ALL). Times (median of 3): (1) the first import (every interval
// new) and (2) the next day's import of the same list (every interval extended). Prints the ratios to the baseline;
// exits 1 when one misses its target. Needs DATABASE_URL (a database is created on that server and dropped), or runs
// an embedded PostgreSQL.
import { closeDb, getPool } from '../lib/db/pool';
import { applyMigrations } from '../lib/db/migrate';
import { bigTorRelayCsv } from '../lib/relays/__fixtures__/relayDocuments';
import { importRelaySnapshot } from '../lib/relays/importRelaySnapshot';
import { parseRelayDocument } from '../lib/relays/parseRelayDocument';
import { createTestDatabase } from '../tests/testDatabase';

const ROWS = 10_000;
const TARGET = 10; // the import also parses, writes relays and snapshot entries, and merges intervals
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const database = await createTestDatabase('torwatch_bench_relay_import');
let status = 0;
try {
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  const pool = getPool();
  const csv = bigTorRelayCsv(ROWS);
  const { addresses } = parseRelayDocument(csv);
  const timed = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const reset = () =>
    pool.query(
      `TRUNCATE relay_address, relay_snapshot_entry, relay_snapshot, relay, relay_feed, bench_address RESTART IDENTITY CASCADE`,
    );
  await pool.query(`CREATE TABLE bench_address (LIKE relay_address INCLUDING ALL)`);
  const values = [addresses.map((a) => a.fingerprint), addresses.map((a) => a.ip), addresses.map((a) => a.port)];
  const baseInsert = () =>
    pool.query(
      `INSERT INTO bench_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
       SELECT f, i::inet, p, 'or', $4, $4, 1, 1 FROM unnest($1::text[], $2::text[], $3::int[]) AS t(f, i, p)`,
      [...values, day('2026-03-10')],
    );
  const baseExtend = () =>
    pool.query(`UPDATE bench_address SET valid_to = $1, last_snapshot_id = 2`, [day('2026-03-11')]);
  const times = {
    insert: [] as number[],
    extend: [] as number[],
    baseInsert: [] as number[],
    baseExtend: [] as number[],
  };
  for (let i = 0; i < 3; i++) {
    await reset();
    times.baseInsert.push(await timed(baseInsert));
    times.baseExtend.push(await timed(baseExtend));
    times.insert.push(
      await timed(() => importRelaySnapshot(csv, { source: 'big.csv', observedAt: day('2026-03-10') })),
    );
    times.extend.push(
      await timed(() => importRelaySnapshot(csv, { source: 'big.csv', observedAt: day('2026-03-11') })),
    );
  }
  for (const [name, ours, base] of [
    ['first import (intervals added)', times.insert, times.baseInsert],
    ['next import (intervals extended)', times.extend, times.baseExtend],
  ] as const) {
    const ratio = median(ours) / median(base);
    if (ratio > TARGET) status = 1;
    console.log(
      `${ratio <= TARGET ? 'ok  ' : 'MISS'} importRelaySnapshot, ${ROWS.toLocaleString('en')} rows, ${name}: ratio ${ratio.toFixed(1)} to the bare SQL (target ≤ ${TARGET}) — ${median(ours).toFixed(0)} ms vs ${median(base).toFixed(0)} ms`,
    );
  }
} finally {
  await closeDb();
  await database.drop();
}
process.exit(status);
