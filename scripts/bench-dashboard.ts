// npm run bench:dashboard — the dashboard's read models on a fresh database with 5,000,000 events and 50,000 hits
// (generated set-based in SQL), timed over 20 typical filter combinations: p50/p95 per query.
// Targets (issue #7): hits page p95 ≤ 150 ms, overview p95 ≤ 300 ms; (issue 17) Trends page over 12 months p95 ≤ 300 ms,
// and the report e-mail's content (KPIs, PNG charts, PDF) built in well under the 10 s a send may take.
// (issue #18) Episodes page p95 ≤ 150 ms.
//   BENCH_EVENTS=1000000 BENCH_HITS=10000 npm run bench:dashboard    (smaller run)
//   BENCH_KEEP_DB=1 npm run bench:dashboard, then BENCH_DATABASE_URL=<the URL it printed> npm run bench:dashboard
//   (time a change to the read models without generating the data again)
// Run with the react-server condition (package.json does) so the `server-only` read models load outside Next.
import { closeDb, getPool } from '../lib/db/pool';
import { bulkInsertWideEvents } from '../lib/store/bulkEvents';
import { applyMigrations } from '../lib/db/migrate';
import { createTestDatabase } from '../tests/testDatabase';
import { buildReport } from '../lib/reports/sendReport';
import { maintainEpisodes } from '../lib/episodes/maintainEpisodes';
import { percentile, printDashboardTable, time, timeDashboard } from './dashboardTimings';

const KEEP = process.env.BENCH_KEEP_DB === '1'; // leave the database for EXPLAIN (prints its URL)
// Time again on a database a BENCH_KEEP_DB=1 run left (its URL): migrations applied, no data generated, kept.
const REUSE = process.env.BENCH_DATABASE_URL;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const HITS = Number(process.env.BENCH_HITS ?? 50_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);

const database = REUSE ? { url: REUSE, drop: async () => {} } : await createTestDatabase('torwatch_bench_dashboard');
try {
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  const pool = getPool();
  const now = new Date('2026-11-20T12:00:00Z');
  if (!REUSE) await generate(pool, now);
  // The steady state autovacuum reaches after bulk writes: statistics, and a visibility map for index-only scans.
  await pool.query('VACUUM ANALYZE');

  const samples = await timeDashboard(now, REPEAT);
  printDashboardTable(samples, REPEAT);
  const p95 = (name: string) => percentile(samples.get(name)!, 95);
  const hitsOk = p95('hits page total (page + options)') <= 150;
  const overviewOk = p95('overview page (all queries, parallel)') <= 300;
  const episodesOk = p95('episodes page total (page + options)') <= 150;
  const trendsOk = p95('trends page (12 months, all queries)') <= 300;
  const reportMs: number[] = [];
  for (let i = 0; i < 3; i++) reportMs.push((await time(() => buildReport({ days: 7, months: 12, now })))[0]);
  console.log(
    `\ntargets: hits page p95 ≤ 150 ms ${hitsOk ? 'met' : 'MISSED'}; overview p95 ≤ 300 ms ${overviewOk ? 'met' : 'MISSED'}; ` +
      `episodes page p95 ≤ 150 ms ${episodesOk ? 'met' : 'MISSED'}; ` +
      `trends p95 ≤ 300 ms ${trendsOk ? 'met' : 'MISSED'} (ratio to the overview in the same run: ` +
      `${(p95('trends page (12 months, all queries)') / p95('overview page (all queries, parallel)')).toFixed(2)})`,
  );
  console.log(
    `report e-mail content (KPIs, 4 PNG charts, PDF): ${reportMs.map((ms) => ms.toFixed(0)).join(' / ')} ms ` +
      `(first includes loading resvg and pdf-lib)`,
  );
} finally {
  await closeDb();
  if (KEEP) console.log(`kept ${database.url}`);
  else await database.drop();
}

/** 5 M events and 50 k hits (by default), set-based in SQL, then episodes built from every hit. */
async function generate(pool: ReturnType<typeof getPool>, now: Date): Promise<void> {
  const t0 = performance.now();
  const batch = await pool.query(
    `INSERT INTO ingest_batch (source, file_name, status) VALUES ('bench', 'generated', 'committed') RETURNING id`,
  );
  // Bulk load without the secondary indexes, then rebuild them (as a restore would): several times faster.
  // (The identity stays: the load skips stored identities by it. A partitioned index reads back as "ON ONLY", which
  // would create it for the parent alone.)
  const { rows: indexes } = await pool.query(
    `SELECT indexname, replace(indexdef, ' ON ONLY ', ' ON ') AS indexdef FROM pg_indexes
     WHERE tablename = 'network_event' AND indexdef NOT LIKE 'CREATE UNIQUE%'`,
  );
  for (const index of indexes) await pool.query(`DROP INDEX "${index.indexname}"`);
  const CHUNK = 1_000_000;
  const loader = await pool.connect();
  for (let start = 0; start < EVENTS; start += CHUNK) {
    await bulkInsertWideEvents(
      loader,
      batch.rows[0].id,
      [
        'ts',
        'device_id',
        'device_name',
        'action_type',
        'direction',
        'remote_ip',
        'remote_port',
        'local_ip',
        'process_file_name',
        'process_folder_path',
        'report_id',
        'source',
      ],
      `SELECT $1::timestamptz - make_interval(secs => ((g * 7919) % (120 * 86400))::float8 + (g % 997) / 1000.0), 'dev-' || (g % 5000),
             'wks-' || lpad((g % 5000)::text, 4, '0') || '.corp.example', (ARRAY['ConnectionSuccess','ConnectionFailed','InboundConnectionAccepted','ConnectionSuccess'])[1 + g % 4],
             (ARRAY['outbound','outbound','inbound','outbound'])[1 + g % 4], '185.0.0.0'::inet + (g % 100000), (ARRAY[443, 9001, 80, 9030])[1 + g % 4],
             ('10.0.' || (g % 250) || '.' || (g % 200 + 1))::inet, (ARRAY['chrome.exe','tor.exe','firefox.exe','svchost.exe','curl.exe','Teams.exe','python.exe'])[1 + g % 7],
             'C:\\Program Files\\App', 'r' || g, 'defender'
      FROM generate_series($2::bigint, $3::bigint) g`,
      [now, start, Math.min(EVENTS, start + CHUNK) - 1],
    );
  }
  loader.release();
  for (const index of indexes) await pool.query(index.indexdef);
  const t1 = performance.now();
  const every = Math.max(1, Math.floor(EVENTS / HITS));
  await pool.query(
    `
    INSERT INTO hit (event_id, ts, device_id, device_name, local_ip, local_public_ip, remote_ip, remote_port, action_type, direction,
      process_file_name, process_folder_path, relay_fingerprints, relay_nicknames, relay_flags, country, port_match, is_exit,
      via_exit_address, confidence, status)
    SELECT e.id, e.ts, e.device_id, e.device_name, e.local_ip, ('203.0.113.' || (e.id % 250))::inet, e.remote_ip, e.remote_port, e.action_type,
           e.direction, e.process_file_name, e.process_folder_path, ARRAY[upper(md5((e.id % 3000)::text)) || '00000000'], ARRAY['relay' || (e.id % 3000)],
           ARRAY['Running','Guard'], (ARRAY['de','de','nl','us','fr','se','ch','ro','fi','gb','ca','at','pl','lu',NULL])[1 + e.id % 15],
           e.remote_port IN (9001, 9030), e.id % 5 = 0, false, (ARRAY['high','medium','low','high'])[1 + e.id % 4],
           (ARRAY['new','new','investigating','benign','true_positive','suppressed'])[1 + e.id % 6]
    FROM network_event_wide e WHERE e.id % $1 = 0 LIMIT $2`,
    [every, HITS],
  );
  await pool.query('ANALYZE');
  const t2 = performance.now();
  // Episodes from scratch: every hit is new to the maintenance (as after an upgrade), in one transaction.
  const episodeClient = await pool.connect();
  await episodeClient.query('BEGIN');
  const built = await maintainEpisodes(episodeClient, { rebuild: true }); // set-based: one island per group
  await episodeClient.query('COMMIT');
  episodeClient.release();
  await pool.query('ANALYZE episode');
  console.log(
    `episodes: ${built.created.toLocaleString('en')} built from every hit in ${((performance.now() - t2) / 1000).toFixed(1)} s`,
  );
  const counts = (
    await pool.query(
      `SELECT (SELECT count(*) FROM network_event)::int AS events, (SELECT count(*) FROM hit)::int AS hits`,
    )
  ).rows[0];
  console.log(
    `generated ${counts.events.toLocaleString('en')} events in ${((t1 - t0) / 1000).toFixed(1)} s, ${counts.hits.toLocaleString('en')} hits in ${((t2 - t1) / 1000).toFixed(1)} s`,
  );
}
