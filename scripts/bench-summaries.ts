/**
 * npm run bench:summaries [-- --events 200000]
 *
 * What the hourly connection summaries (docs/architecture.md §16.1) cost, on a fresh database of DATABASE_URL's
 * server: N generated DeviceNetworkEvents rows (scripts/gen-telemetry.ts) are ingested as the CLI does (ingestFile
 * with a direct COPY), then every month they fall in is summarised as retention does just before it drops a month
 * (summarizeMonth), in one transaction, and timed. Prints that step's cost as a ratio of the whole ingest (measured in
 * the same run), the summary rows per event, and the bytes of the summaries and of the raw events per event.
 */
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '@/lib/db/migrate';
import { closeDb, getPool } from '@/lib/db/pool';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { listMonthPartitions } from '@/lib/retention/monthPartitions';
import { summarizeMonth } from '@/lib/retention/summarizeMonth';
import { telemetryLines } from './gen-telemetry';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
  const events = Number(values.events);
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error('set DATABASE_URL to a PostgreSQL server (a fresh database is made on it, dropped after)');
  const dbName = `torwatch_bench_summaries_${process.pid}`;
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  await admin(server, `CREATE DATABASE ${dbName}`);
  try {
    process.env.DATABASE_URL = url.toString();
    await applyMigrations(url.toString());
    const text = () => Readable.from(lines(events));
    const started = performance.now();
    const ingest = await ingestFile(text(), { file: 'bench.csv', via: 'cli', queueMatch: false, reopen: text });
    const ingestMs = performance.now() - started;
    if (ingest.status !== 'committed') throw new Error(`ingest ${ingest.status}: ${ingest.error}`);

    const client = await getPool().connect();
    let stepMs: number;
    try {
      await client.query('BEGIN');
      const t = performance.now();
      for (const month of await listMonthPartitions(client, 'network_event')) await summarizeMonth(client, month);
      stepMs = performance.now() - t;
      await client.query('COMMIT');
      await client.query('VACUUM ANALYZE');
    } finally {
      client.release();
    }
    const sizes = await getPool().query<{ parent: string; rows: string; bytes: string }>(`
      SELECT p.relname AS parent, sum(c.reltuples)::bigint AS rows, sum(pg_total_relation_size(c.oid))::bigint AS bytes
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname IN ('network_event', 'connection_summary') GROUP BY p.relname`);
    const of = (name: string) => sizes.rows.find((r) => r.parent === name) ?? { rows: '0', bytes: '0' };
    const stored = ingest.inserted;
    console.log(
      `events ingested: ${stored.toLocaleString('en-US')} (${ingest.loader}) in ${(ingestMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `summarising its months (retention, before a drop): ${(stepMs / 1000).toFixed(2)} s = ${(stepMs / ingestMs).toFixed(3)} × the whole ingest`,
    );
    console.log(
      `summary rows: ${Number(of('connection_summary').rows).toLocaleString('en-US')} = ${(Number(of('connection_summary').rows) / stored).toFixed(3)} per event`,
    );
    console.log(
      `bytes per event: summaries ${(Number(of('connection_summary').bytes) / stored).toFixed(1)}, raw events ${(Number(of('network_event').bytes) / stored).toFixed(1)}`,
    );
  } finally {
    await closeDb();
    await admin(server, `DROP DATABASE IF EXISTS ${dbName}`);
  }
}

function* lines(events: number): Generator<string> {
  yield* telemetryLines({ events, format: 'defender-csv', seed: 'bench-summaries' });
}

async function admin(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await main();
