// npm run bench:citus — ingest and match throughput on one node vs a Citus coordinator with 1 and with 2 workers
// (docs/scaling.md). One generated Defender CSV (BENCH_EVENTS rows, default 200,000; 2,000 devices; 1 % to relays),
// the same relay intervals everywhere, then per target: `ingestFile` (the whole command path: parse, COPY, dedupe,
// commit) and a full match (`runMatchPipeline`), timed; hits must be the same count everywhere. The single node is a
// fresh database on DATABASE_URL's server (this machine: the same PostgreSQL 15 the Citus nodes run), the cluster the
// shared harness's (all nodes on this machine's cores: read the ratios as the cost of distribution, not its gain).
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../lib/db/migrate';
import { closeDb, getPool } from '../lib/db/pool';
import { ingestFile } from '../lib/ingest/ingestFile';
import { runMatchPipeline } from '../lib/pipeline/runMatchPipeline';
import { startCluster } from '../tests/citus/cluster';
import { createTestDatabase } from '../tests/testDatabase';
import { builtInRelayAddresses, telemetryLines } from './gen-telemetry';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const SEED = 'bench-citus';
const work = mkdtempSync(path.join(os.tmpdir(), 'torwatch-bench-citus-'));
const file = path.join(work, 'DeviceNetworkEvents.csv');
process.env.TORWATCH_OFFLINE ??= '1';

const out = createWriteStream(file);
for (const line of telemetryLines({ events: EVENTS, seed: SEED, devices: 2000, relayShare: 0.01 })) {
  if (!out.write(line)) await once(out, 'drain');
}
out.end();
await once(out, 'close');
console.log(`generated ${EVENTS.toLocaleString('en-US')} events (${os.cpus().length} cores on this machine)`);

interface Result {
  target: string;
  ingestSeconds: number;
  matchSeconds: number;
  hits: number;
}

async function measure(target: string, url: string, citus: boolean): Promise<Result> {
  if (citus) process.env.TORWATCH_DISTRIBUTED = 'citus';
  else delete process.env.TORWATCH_DISTRIBUTED;
  await applyMigrations(url);
  await closeDb();
  process.env.DATABASE_URL = url;
  const pool = getPool();
  // Every built-in relay address listed for the whole generated period (the generator draws its relay contacts there).
  await pool.query(
    `INSERT INTO relay (fingerprint, nickname, country, flags, hostnames)
     SELECT upper(md5(a)), 'r' || n, 'de', ARRAY['Guard','Running'], '{}' FROM unnest($1::text[]) WITH ORDINALITY x(a, n)`,
    [builtInRelayAddresses(SEED)],
  );
  await pool.query(
    `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
     SELECT upper(md5(a)), a::inet, 9001, 'or', '2026-01-01', '2026-12-31', 1, 1 FROM unnest($1::text[]) a`,
    [builtInRelayAddresses(SEED)],
  );
  let t = performance.now();
  const summary = await ingestFile(createReadStream(file), { file, via: 'cli', queueMatch: false });
  const ingestSeconds = (performance.now() - t) / 1000;
  if (summary.status !== 'committed' || summary.inserted !== EVENTS)
    throw new Error(`${target}: ingest ${summary.status}, ${summary.inserted} inserted`);
  t = performance.now();
  await runMatchPipeline({ mode: 'full', trigger: 'bench' });
  const matchSeconds = (performance.now() - t) / 1000;
  const hits = Number((await pool.query('SELECT count(*) AS n FROM hit')).rows[0].n);
  await closeDb();
  const result = { target, ingestSeconds, matchSeconds, hits };
  console.log(
    `${target}: ingest ${ingestSeconds.toFixed(1)} s (${rate(EVENTS, ingestSeconds)} rows/s), ` +
      `full match ${matchSeconds.toFixed(1)} s (${rate(EVENTS, matchSeconds)} events/s), ${hits} hits`,
  );
  return result;
}

const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');

const single = await createTestDatabase('torwatch_bench_citus');
const clusterDir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-bench-citus-cluster-'));
const port = Number(process.env.TORWATCH_TEST_CITUS_PORT ?? 9720);
const cluster = startCluster(clusterDir, port);
try {
  const results = [await measure('single node', single.url, false)];
  results.push(await measure('citus, 1 worker', cluster.createDatabase('tw_bench_1w', { workers: 1 }), true));
  results.push(await measure('citus, 2 workers', cluster.createDatabase('tw_bench_2w'), true));
  if (new Set(results.map((r) => r.hits)).size !== 1) throw new Error('the targets disagree on the hits');
  const [base] = results;
  console.log('\nthroughput relative to the single node (higher is faster):');
  for (const r of results)
    console.log(
      `  ${r.target.padEnd(18)} ingest ${(base.ingestSeconds / r.ingestSeconds).toFixed(2)}×   match ${(base.matchSeconds / r.matchSeconds).toFixed(2)}×`,
    );
} finally {
  await closeDb();
  await single.drop();
  cluster.stop();
  rmSync(clusterDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
