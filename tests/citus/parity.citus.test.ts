import { createReadStream, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_OPERATOR } from '@/lib/auth/localOperator';
import { backupDatabase, restoreDatabase } from '@/lib/db/backup';
import { DISTRIBUTED_BY_DEVICE } from '@/lib/db/distributed';
import { applyMigrations } from '@/lib/db/migrate';
import { closeDb, getPool } from '@/lib/db/pool';
import { ingestFile } from '@/lib/ingest/ingestFile';
import { runMatchPipeline } from '@/lib/pipeline/runMatchPipeline';
import { exportHitRecords } from '@/lib/queries/exportHits';
import { importHistoryFile } from '@/lib/relays/archive/importRelayHistory';
import { importRelaySnapshot } from '@/lib/relays/importRelaySnapshot';
import { startCluster, type Cluster } from './cluster';

// Citus gives the answers one node gives (docs/scaling.md, §17.2): the shared KQL parity vector (both modes) and
// the time-aware relay-history vector go through ingest → match → hits on a single-node database and on a three-node
// cluster whose migrations were applied with TORWATCH_DISTRIBUTED=citus; every answer must be identical, and equal
// to the vectors' expected answers.
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const PARITY = path.join(FIXTURES, 'kql-parity');
const HISTORY = path.join(FIXTURES, 'relay-history');
const meta = JSON.parse(readFileSync(path.join(PARITY, 'meta.json'), 'utf8')) as {
  observed_at: string;
  grace_hours: number;
};

let cluster: Cluster;
let citusUrl = '';
let singleUrl = '';
const DB = `tw_citus_${process.pid}`;

async function on<T>(url: string, work: () => Promise<T>): Promise<T> {
  await closeDb();
  process.env.DATABASE_URL = url;
  return work();
}

async function reset(): Promise<void> {
  const { rows } = await getPool().query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  await getPool().query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

async function ingest(dir: string, files: string[]): Promise<void> {
  for (const file of files) {
    const summary = await ingestFile(createReadStream(path.join(dir, file)), { file, via: 'cli', queueMatch: false });
    expect(summary, file).toMatchObject({ status: 'committed', rejected: 0 });
  }
}

type Row = Record<string, unknown>;
async function hits(compat: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  await exportHitRecords(
    LOCAL_OPERATOR,
    compat ? { compat: true } : {},
    (batch) => void rows.push(...(batch as Row[])),
  );
  // HitId is the row's serial number: the order rows are written in is not an answer.
  return rows.map(({ HitId: _id, ...rest }) => rest).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

const instant = (iso: string) => iso.replace(/\.(\d{1,6})\d*Z$/, (_, f: string) => `.${f.padEnd(6, '0')}Z`);
const expectedKeys = (dir: string, file: string) =>
  (parse(readFileSync(path.join(dir, file)), { columns: true, bom: true }) as Record<string, string>[])
    .map((r) => `${instant(r.Timestamp)}|${r.DeviceId}|${r.RemoteIP}`)
    .sort();
const keys = (rows: Row[]) => rows.map((r) => `${instant(String(r.Timestamp))}|${r.DeviceId}|${r.RemoteIP}`).sort();

interface Answers {
  default: Row[];
  compat: Row[];
  onionoo: Row[];
  history: Row[];
}

async function answers(url: string): Promise<Answers> {
  return on(url, async () => {
    await reset();
    await ingest(PARITY, ['DeviceInfo.csv', 'DeviceNetworkEvents.csv']);
    const relays = await importRelaySnapshot(readFileSync(path.join(PARITY, 'relays.csv')), {
      source: 'relays.csv',
      observedAt: new Date(meta.observed_at),
    });
    expect(relays.status).toBe('imported');
    await runMatchPipeline({ mode: 'incremental', trigger: 'test' });
    const result = { default: await hits(false), compat: await hits(true) } as Answers;

    await reset();
    await ingest(PARITY, ['DeviceInfo.csv', 'DeviceNetworkEvents.csv']);
    await importRelaySnapshot(readFileSync(path.join(PARITY, 'onionoo.json')), { source: 'onionoo.json' });
    await runMatchPipeline({ mode: 'full', trigger: 'test' });
    result.onionoo = await hits(false);

    await reset();
    await ingest(HISTORY, ['DeviceNetworkEvents.csv']);
    for (const archive of [
      'collector/archive/relay-descriptors/consensuses/consensuses-2026-06.tar.xz',
      'collector/archive/exit-lists/exit-list-2026-06.tar.xz',
    ])
      await importHistoryFile(path.join(HISTORY, archive));
    await runMatchPipeline({ mode: 'incremental', trigger: 'test' });
    result.history = await hits(false);
    return result;
  });
}

let single: Answers;
let distributed: Answers;

beforeAll(async () => {
  process.env.TORWATCH_MATCH_GRACE_HOURS = String(meta.grace_hours);
  cluster = startCluster(inject('citusDir'), inject('citusPort'));
  citusUrl = cluster.createDatabase(DB);
  singleUrl = inject('singleNodeUrl');
  process.env.TORWATCH_DISTRIBUTED = 'citus';
  await applyMigrations(citusUrl);
  delete process.env.TORWATCH_DISTRIBUTED;
  single = await answers(singleUrl);
  distributed = await answers(citusUrl);
});
afterAll(async () => {
  await closeDb();
  cluster?.dropDatabase(DB);
  cluster?.dropDatabase(`${DB}_moved`);
});

async function coordinator<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: citusUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('Citus: the same answers as one node', () => {
  it('migrations made network_event distributed by device, its rows on both workers', async () => {
    const tables = await coordinator<{ name: string; method: string; column: string }>(
      `SELECT logicalrelid::text AS name, partmethod AS method,
              column_to_column_name(logicalrelid, partkey) AS column
       FROM pg_dist_partition WHERE logicalrelid = 'network_event'::regclass`,
    );
    expect(tables).toEqual([
      { name: 'network_event', method: 'h', column: expect.stringMatching(/^device_(key|id)$/) },
    ]);
    const perShard = await coordinator<{ shardid: string; rows: string }>(
      `SELECT get_shard_id_for_distribution_column('network_event', ${tables[0].column})::text AS shardid,
              count(*)::text AS rows
       FROM network_event GROUP BY 1`,
    );
    const shards = await coordinator<{ shardid: string; nodeport: number }>(
      `SELECT shardid::text, nodeport FROM citus_shards WHERE table_name = 'network_event'::regclass`,
    );
    const rowsPerNode = new Map<number, number>();
    for (const { shardid, rows } of perShard) {
      const node = shards.find((s) => s.shardid === shardid)!.nodeport;
      rowsPerNode.set(node, (rowsPerNode.get(node) ?? 0) + Number(rows));
    }
    expect([...rowsPerNode.keys()].sort()).toEqual([inject('citusPort') + 1, inject('citusPort') + 2]);
    expect([...rowsPerNode.values()].every((n) => n > 0)).toBe(true);
    // Every other device-distributed table this schema has (connection_summary, once its migration is there) is
    // distributed by its device column and co-located with network_event.
    const names = DISTRIBUTED_BY_DEVICE.map((t) => `'${t.table}'`).join(', ');
    const present = await coordinator<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND NOT c.relispartition AND c.relname IN (${names})`,
    );
    const colocated = await coordinator<{ name: string; same: boolean }>(
      `SELECT logicalrelid::text AS name,
              colocationid = (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'network_event'::regclass) AS same
       FROM pg_dist_partition WHERE partmethod = 'h' AND logicalrelid::text IN (${present.map((p) => `'${p.name}'`).join(', ')})`,
    );
    expect(colocated.map((c) => c.name).sort()).toEqual(present.map((p) => p.name).sort());
    expect(colocated.every((c) => c.same)).toBe(true);
  });

  it('KQL parity vector, default mode: identical hits, the expected ones', () => {
    expect(distributed.default).toEqual(single.default);
    expect(keys(distributed.default)).toEqual(expectedKeys(PARITY, 'expected_hits.csv'));
  });

  it('KQL parity vector, compat mode: identical rows with their multiplicity', () => {
    expect(distributed.compat).toEqual(single.compat);
    expect(distributed.compat).toHaveLength(expectedKeys(PARITY, 'expected_compat.csv').length);
  });

  it('Onionoo details with exit addresses: identical hits', () => {
    expect(distributed.onionoo).toEqual(single.onionoo);
    expect(keys(distributed.onionoo)).toEqual(expectedKeys(PARITY, 'expected_hits_onionoo.csv'));
  });

  it('time-aware relay history (consensuses and exit lists): identical hits, the expected ones', () => {
    expect(distributed.history).toEqual(single.history);
    expect(keys(distributed.history)).toEqual(expectedKeys(HISTORY, 'expected_hits.csv'));
  });

  it('a running single-node install moves to Citus: its backup restored into the cluster, same hits', async () => {
    // docs/scaling.md "Moving a running single-node install": the single node now holds the relay-history run.
    const file = path.join(os.tmpdir(), `torwatch-citus-move-${process.pid}.twbackup`);
    try {
      await backupDatabase(singleUrl, file);
      const moved = cluster.createDatabase(`${DB}_moved`);
      process.env.TORWATCH_DISTRIBUTED = 'citus';
      try {
        await restoreDatabase(moved, file);
      } finally {
        delete process.env.TORWATCH_DISTRIBUTED;
      }
      const layout = await on(moved, async () => {
        const { rows } = await getPool().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_dist_partition WHERE logicalrelid = 'network_event'::regclass`,
        );
        return rows[0].n;
      });
      expect(layout).toBe(1);
      expect(await on(moved, () => hits(false))).toEqual(single.history);
      // It goes on working there: a full re-match changes nothing.
      await on(moved, () => runMatchPipeline({ mode: 'full', trigger: 'test' }));
      expect(await on(moved, () => hits(false))).toEqual(single.history);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
