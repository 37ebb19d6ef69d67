// npm run bench:history -- --events 100000000 — cost flat in the size of history (issue 16, docs/scaling.md).
// Two fresh databases in one run: the baseline with --baseline events (default 1,000,000) and the history with
// --events (default 100,000,000), both spread over 12 months of partitions, both with the same relay intervals, the
// same devices and the same number of events that meet a relay (--relay-events, default 20,000: the hits a match
// gives are then alike, so what differs is only the size of the event table). On each it times
//   - the incremental match (runMatchPipeline, as the worker runs it) over --new 100,000 new events ingested as a new
//     batch after the history is there (the staging loader's SQL; summaries are made when retention drops a month), --runs 5 fresh batches,
//     median;
//   - the hits page and the overview (bench:dashboard's timed query set, scripts/dashboardTimings.ts), p95;
// and prints the history's figures as ratios to the baseline's (target: within 1.5×).
// Generation is set-based SQL straight into the compact store (docs/architecture.md §4.6): dictionaries with fixed
// keys, then per month a plain table filled by one INSERT … SELECT, vacuumed, indexed like the partitioned indexes,
// and attached as the month's partition (the attach adopts the indexes, so the schema ends as migrations make it).
//   npm run bench:history -- --events 10000000    (a quicker check; --jobs 2 loads two months at a time)
//   --keep leaves both databases (prints their URLs) for EXPLAIN.
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { closeDb, getPool } from '../lib/db/pool';
import { applyMigrations } from '../lib/db/migrate';
import { bulkInsertWideEvents } from '../lib/store/bulkEvents';
import { runMatchPipeline } from '../lib/pipeline/runMatchPipeline';
import { createTestDatabase } from '../tests/testDatabase';
import { HITS_PAGE, OVERVIEW_PAGE, percentile, printDashboardTable, time, timeDashboard } from './dashboardTimings';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000000' },
    baseline: { type: 'string', default: '1000000' },
    'relay-events': { type: 'string', default: '20000' },
    new: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '5' },
    jobs: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const DEVICES = 10_000;
const RELAYS = 8_000;
const PROCESSES = [
  ['chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application'],
  ['msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application'],
  ['svchost.exe', 'C:\\Windows\\System32'],
  ['Teams.exe', 'C:\\Users\\user\\AppData\\Local\\Microsoft\\Teams\\current'],
  ['OneDrive.exe', 'C:\\Users\\user\\AppData\\Local\\Microsoft\\OneDrive'],
  ['firefox.exe', 'C:\\Program Files\\Mozilla Firefox'],
  ['outlook.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16'],
  ['MsSense.exe', 'C:\\Program Files\\Windows Defender Advanced Threat Protection'],
  ['python.exe', 'C:\\Python312'],
  ['curl.exe', 'C:\\Windows\\System32'],
  ['powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0'],
  ['Zoom.exe', 'C:\\Users\\user\\AppData\\Roaming\\Zoom\\bin'],
  ['slack.exe', 'C:\\Users\\user\\AppData\\Local\\slack'],
  ['java.exe', 'C:\\Program Files\\Java\\jre\\bin'],
  ['tor.exe', 'C:\\Users\\user\\Desktop\\Tor Browser\\Browser\\TorBrowser\\Tor'],
] as const;
const ACTIONS = ['ConnectionSuccess', 'ConnectionFailed', 'InboundConnectionAccepted', 'ConnectionAttempt'];
const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

// The strings of device k (1 … DEVICES), as ingest would see them: Defender's 40-hex DeviceId and a host name.
const DEVICE_ID_SQL = (k: string) => `md5((${k})::text) || left(md5('d' || (${k})::text), 8)`;
const DEVICE_NAME_SQL = (k: string) => `'wks-' || lpad((${k})::text, 5, '0') || '.corp.example'`;
// A remote address: a relay's (OR address 185.0.0.0 + 97·n, its exit address one above, for n = 1 … RELAYS) for the
// rows `relay` picks, else one of 400,000 other public addresses with heavy repetition (r⁴: the most common thousand
// take about half the traffic, as cloud and CDN endpoints do). h: a non-negative hash of the row, r: uniform [0, 1).
const REMOTE_IP_SQL = (relay: string, h: string, r: string) => `CASE WHEN ${relay}
  THEN '185.0.0.0'::inet + (1 + ${h} % ${RELAYS}) * 97 + CASE WHEN ${h} % 4 = 0 AND (1 + ${h} % ${RELAYS}) % 4 = 0 THEN 1 ELSE 0 END
  ELSE '20.0.0.0'::inet + floor(400000 * ${r} ^ 4)::int END`;
const REMOTE_PORT_SQL = (relay: string, h: string) =>
  `CASE WHEN ${relay} THEN (ARRAY[9001, 9001, 443, 9030])[1 + ${h} % 4] ELSE (ARRAY[443, 443, 443, 80, 443, 53, 8080, 443])[1 + (${h} / 7) % 8] END`;

interface Figures {
  events: number;
  generateMs: number;
  fullMatchMs: number;
  hits: number;
  bytes: number;
  ingestMs: number[];
  matchMs: number[];
  matchHits: number[];
  samples: Map<string, number[]>;
}

const jobs = Math.max(1, Number(args.jobs));
const serverUrl = process.env.DATABASE_URL; // where the databases are created (each measure points DATABASE_URL at its own)
const repeat = Number(args.repeat);
const baseline = await measure(Number(args.baseline));
const history = await measure(Number(args.events));
report(baseline, history);

async function measure(events: number): Promise<Figures> {
  if (serverUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = serverUrl;
  const database = await createTestDatabase('history_bench');
  try {
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    const pool = getPool();
    console.log(`\n== ${events.toLocaleString('en')} events (${database.url.replace(/.*\//, '')})`);
    const [generateMs] = await time(() => generate(pool, events));
    const [fullMatchMs, full] = await time(() => runMatchPipeline({ mode: 'full', trigger: 'bench' }));
    // The steady state autovacuum reaches: statistics, visibility maps (the event months were vacuumed as they loaded).
    await pool.query('VACUUM ANALYZE');
    const bytes = Number((await pool.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    console.log(
      `generated in ${(generateMs / 1000).toFixed(1)} s; full match ${(fullMatchMs / 1000).toFixed(1)} s, ` +
        `${full.hitsNew.toLocaleString('en')} hits; database ${(bytes / 2 ** 30).toFixed(2)} GiB`,
    );

    const ingestMs: number[] = [];
    const matchMs: number[] = [];
    const matchHits: number[] = [];
    for (let run = 0; run < Number(args.runs); run++) {
      ingestMs.push(await ingestNewBatch(pool, events + run * Number(args.new), Number(args.new)));
      const [ms, result] = await time(() => runMatchPipeline({ mode: 'incremental', trigger: 'bench' }));
      if (result.eventsScanned !== Number(args.new)) throw new Error(`scanned ${result.eventsScanned} new events`);
      matchMs.push(ms);
      matchHits.push(result.hitsNew);
    }
    console.log(
      `incremental match over ${Number(args.new).toLocaleString('en')} new events: ${matchMs.map((ms) => ms.toFixed(0)).join(', ')} ms ` +
        `(new hits ${matchHits.join(', ')}); the batches' ingest ${ingestMs.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
    // Where the last run spent its time (match_run.details), to compare the two sizes step by step.
    const { rows: last } = await pool.query<{ steps: Record<string, number> }>(
      `SELECT details->'steps' AS steps FROM match_run WHERE mode = 'incremental' ORDER BY id DESC LIMIT 1`,
    );
    const slowest = Object.entries(last[0]?.steps ?? {})
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6);
    console.log(`  last incremental run's slowest steps (ms): ${slowest.map(([k, v]) => `${k} ${v}`).join('; ')}`);
    await pool.query('ANALYZE');
    const samples = await timeDashboard(NOW, repeat);
    printDashboardTable(samples, repeat);
    return {
      events,
      generateMs,
      fullMatchMs,
      hits: full.hitsNew,
      bytes,
      ingestMs,
      matchMs,
      matchHits,
      samples,
    };
  } finally {
    await closeDb();
    if (args.keep) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

/** `events` events over the 12 months before NOW, in their month partitions, plus relay data; set-based SQL. */
async function generate(pool: pg.Pool, events: number): Promise<void> {
  // Dictionaries with fixed keys (the events compute theirs), then their identity sequences moved past them.
  await pool.query(
    `INSERT INTO device (device_id, device_name, device_key, first_seen, last_seen, updated_at)
     SELECT ${DEVICE_ID_SQL('k')}, ${DEVICE_NAME_SQL('k')}, k, $1::timestamptz - interval '360 days', $1, now()
     FROM generate_series(1, ${DEVICES}) k`,
    [NOW],
  );
  await pool.query(
    `INSERT INTO device_name_dict (name_key, name) SELECT k, ${DEVICE_NAME_SQL('k')} FROM generate_series(1, ${DEVICES}) k`,
  );
  await pool.query(
    `INSERT INTO process_image (process_key, file_name, folder_path) SELECT ord, p[1], p[2]
     FROM unnest($1::text[]) WITH ORDINALITY AS u(x, ord), LATERAL (SELECT string_to_array(x, '|') AS p) s`,
    [PROCESSES.map(([file, folder]) => `${file}|${folder}`)],
  );
  await pool.query(
    `INSERT INTO action_type (action_key, name) SELECT ord, name FROM unnest($1::text[]) WITH ORDINALITY AS u(name, ord)`,
    [ACTIONS],
  );
  // Every history event is Defender's Tcp: transport key 1 (docs/architecture.md §4.6).
  await pool.query(`INSERT INTO event_transport (transport_key, source, protocol) VALUES (1, 'd', 'Tcp')`);
  for (const [table, column] of [
    ['device', 'device_key'],
    ['device_name_dict', 'name_key'],
    ['process_image', 'process_key'],
    ['action_type', 'action_key'],
    ['event_transport', 'transport_key'],
  ]) {
    await pool.query(
      `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), (SELECT max(${column}) FROM ${table}))`,
    );
  }
  // Relays as bench:match makes them: 8,000 relays, an OR address each and an exit address for a quarter, their
  // intervals spread over the year (most still listed at NOW, some gone months ago).
  await pool.query(`
    INSERT INTO relay (fingerprint, nickname, country, flags, hostnames)
    SELECT upper(md5(g::text) || substr(md5((g + 1)::text), 1, 8)), 'relay' || g,
           (ARRAY['de','nl','us','fr','se','ch','ro','fi','gb','ca'])[1 + g % 10],
           CASE WHEN g % 4 = 0 THEN ARRAY['Exit','Running','Valid'] ELSE ARRAY['Guard','Running','Valid'] END, '{}'
    FROM generate_series(1, ${RELAYS}) g`);
  await pool.query(
    `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
     SELECT upper(md5(n::text) || substr(md5((n + 1)::text), 1, 8)), '185.0.0.0'::inet + n * 97, 9001, 'or',
            $1::timestamptz - (30 + n % 340) * interval '1 day',
            $1::timestamptz - CASE WHEN n % 5 = 0 THEN (n % 200) * interval '1 day' ELSE interval '0' END, 1, 1
     FROM generate_series(1, ${RELAYS}) n
     UNION ALL
     SELECT upper(md5(n::text) || substr(md5((n + 1)::text), 1, 8)), '185.0.0.0'::inet + n * 97 + 1, 0, 'exit',
            $1::timestamptz - (10 + n % 300) * interval '1 day', $1::timestamptz, 1, 1
     FROM generate_series(1, ${RELAYS}) n WHERE n % 4 = 0`,
    [NOW],
  );

  // The months: the partitions migrations made (this month and the next, empty) go; ours are attached loaded.
  const { rows: existing } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'network_event'::regclass`,
  );
  for (const { name } of existing) await pool.query(`DROP TABLE ${quoteIdent(name)}`);
  const { rows: indexes } = await pool.query<{ def: string }>(
    `SELECT regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \\S+ ON ONLY \\S+', 'CREATE \\1INDEX ON %s') AS def
     FROM pg_indexes WHERE tablename = 'network_event' AND schemaname = current_schema()`,
  );
  const start = new Date(NOW.getTime() - 360 * DAY);
  const months: Array<{ name: string; from: Date; to: Date; lo: number; hi: number }> = [];
  for (let m = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)); m < NOW;) {
    const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    const from = m < start ? start : m;
    const to = next > NOW ? NOW : next;
    const hi = Math.round((events * (to.getTime() - start.getTime())) / (NOW.getTime() - start.getTime()));
    const lo = months.length ? months[months.length - 1].hi + 1 : 1;
    const name = `network_event_y${m.getUTCFullYear()}m${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
    months.push({ name, from, to, lo, hi });
    m = next;
  }
  const relayEvery = Math.max(1, Math.floor(events / Number(args['relay-events'])));
  const queue = [...months];
  await Promise.all(
    Array.from({ length: Math.min(jobs, months.length) }, async () => {
      const client = await pool.connect();
      try {
        await client.query(`SET maintenance_work_mem = '512MB'`);
        for (let month = queue.shift(); month; month = queue.shift()) await loadMonth(client, month, relayEvery);
      } finally {
        client.release();
      }
    }),
  );

  async function loadMonth(
    client: pg.PoolClient,
    month: { name: string; from: Date; to: Date; lo: number; hi: number },
    relayEvery: number,
  ) {
    const t0 = performance.now();
    const part = quoteIdent(month.name);
    const batch = await client.query<{ id: number }>(
      `INSERT INTO ingest_batch (source, file_name, status, via, rows_read, inserted, events_inserted, events_at)
       VALUES ('bench', $1, 'committed', 'cli', $2, $2, $2, $3) RETURNING id`,
      [`history ${month.name}`, month.hi - month.lo + 1, month.to],
    );
    await client.query(
      `CREATE TABLE ${part} (LIKE network_event INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
    );
    // Rows in time order (as ingest appends them); ids and report ids from the row number, keys from hashes of it.
    await client.query(
      `INSERT INTO ${part} (id, ts, report_num, process_id, device_key, batch_id, process_key, name_key, remote_port,
                            local_port, action_key, transport_key, direction, report_text, remote_ip, local_ip)
       SELECT g, $3::timestamptz + ($4::timestamptz - $3::timestamptz) * ((g - $1)::float8 / ($2 - $1 + 1)),
              g, 1000 + h % 60000, 1 + h % ${DEVICES}, $5, 1 + floor(${PROCESSES.length} * r ^ 2)::int,
              1 + h % ${DEVICES}, ${REMOTE_PORT_SQL('g % $6 = 0', 'h2')}, 49152 + h2 % 16000,
              (ARRAY[1, 1, 1, 2, 1, 3, 1, 4])[1 + h2 % 8]::int2, 1::int2,
              CASE WHEN h2 % 8 = 5 THEN 'i' ELSE 'o' END::"char", '', ${REMOTE_IP_SQL('g % $6 = 0', 'h2', 'r')},
              '10.0.0.0'::inet + (1 + h % ${DEVICES})
       FROM (SELECT g, hashint8(g) & 2147483647 AS h, hashint8(-g) & 2147483647 AS h2, random() AS r
             FROM generate_series($1::bigint, $2::bigint) g) s`,
      [month.lo, month.hi, month.from, month.to, batch.rows[0].id, relayEvery],
    );
    await client.query(`VACUUM (ANALYZE) ${part}`);
    for (const { def } of indexes) await client.query(def.replace('%s', part));
    // Partition bounds are DDL (no parameters): the month's first instants, computed here.
    const bounds = `FROM (${literal(monthStart(month.from))}) TO (${literal(monthStart(month.from, 1))})`;
    await client.query(`ALTER TABLE network_event ATTACH PARTITION ${part} FOR VALUES ${bounds}`);
    console.log(
      `  ${month.name}: ${(month.hi - month.lo + 1).toLocaleString('en')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  await pool.query(`SELECT setval('network_event_id_seq', $1)`, [events]);
  // This month's and the next two months' partitions, as the worker keeps them ahead (the next ones empty).
  await pool.query(
    `SELECT ensure_event_partitions(ARRAY[$1::timestamptz, $1 + interval '1 month', $1 + interval '2 months'])`,
    [NOW],
  );
  const check = await pool.query<{ partitions: number; attached: number }>(
    `SELECT count(DISTINCT p.inhrelid)::int AS partitions, count(x.inhrelid)::int AS attached
     FROM pg_inherits p JOIN pg_index i ON i.indrelid = p.inhrelid
     LEFT JOIN pg_inherits x ON x.inhrelid = i.indexrelid
     WHERE p.inhparent = 'network_event'::regclass`,
  );
  const { partitions, attached } = check.rows[0];
  if (attached !== partitions * indexes.length) {
    throw new Error(`${attached} partition indexes attached, expected ${partitions} × ${indexes.length}`);
  }
}

/** A new batch of `count` events of the last day before NOW, ingested as the staging loader does. */
async function ingestNewBatch(pool: pg.Pool, offset: number, count: number): Promise<number> {
  const client = await pool.connect();
  try {
    const [ms] = await time(async () => {
      await client.query('BEGIN');
      const batch = await client.query<{ id: number }>(
        `INSERT INTO ingest_batch (source, file_name, status, via) VALUES ('bench', 'new', 'running', 'cli') RETURNING id`,
      );
      const batchId = batch.rows[0].id;
      // 1 % of the new events meet a relay address (the relay rows of the history's shape).
      const inserted = await bulkInsertWideEvents(
        client,
        batchId,
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
        `SELECT $1::timestamptz - interval '1 day' * ((g - $2)::float8 / $3), ${DEVICE_ID_SQL('1 + h % ' + DEVICES)},
                ${DEVICE_NAME_SQL('1 + h % ' + DEVICES)}, ($5::text[])[1 + h2 % 4],
                CASE WHEN h2 % 8 = 5 THEN 'inbound' ELSE 'outbound' END, ${REMOTE_IP_SQL('g % 100 = 0', 'h2', 'r')},
                ${REMOTE_PORT_SQL('g % 100 = 0', 'h2')}, '10.0.0.0'::inet + (1 + h % ${DEVICES}),
                ($4::text[])[1 + floor(${PROCESSES.length} * r ^ 2)::int], ($6::text[])[1 + floor(${PROCESSES.length} * r ^ 2)::int],
                g::text, 'defender'
         FROM (SELECT g, hashint8(g) & 2147483647 AS h, hashint8(-g) & 2147483647 AS h2, random() AS r
               FROM generate_series($2::bigint + 1, $2::bigint + $3) g) s`,
        [NOW, offset, count, PROCESSES.map(([file]) => file), ACTIONS, PROCESSES.map(([, folder]) => folder)],
      );
      await client.query(
        `UPDATE ingest_batch SET status = 'committed', rows_read = $2, inserted = $2, events_inserted = $2,
                finished_at = now() WHERE id = $1`,
        [batchId, inserted],
      );
      await client.query('COMMIT');
      if (inserted !== count) throw new Error(`inserted ${inserted} of ${count} new events`);
    });
    await client.query('ANALYZE network_event');
    return ms;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function report(base: Figures, big: Figures): void {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const p95 = (f: Figures, name: string) => percentile(f.samples.get(name)!, 95);
  const rows: Array<[string, number, number]> = [
    [
      `incremental match, ${Number(args.new).toLocaleString('en')} new events (median)`,
      median(base.matchMs),
      median(big.matchMs),
    ],
    ['hits page p95 (page + options)', p95(base, HITS_PAGE), p95(big, HITS_PAGE)],
    ['overview p95 (all queries, parallel)', p95(base, OVERVIEW_PAGE), p95(big, OVERVIEW_PAGE)],
    ['hits page p95 (rows + count)', p95(base, 'hits page (rows + count)'), p95(big, 'hits page (rows + count)')],
    ['overview: freshness p95', p95(base, 'overview: freshness'), p95(big, 'overview: freshness')],
    ['ingest of the new batch (median)', median(base.ingestMs), median(big.ingestMs)],
  ];
  const label = (n: number) => `${n >= 1e6 ? `${n / 1e6} M` : n.toLocaleString('en')} events`;
  console.log(`\ncost flat in the size of history: ${label(big.events)} vs ${label(base.events)} (baseline, same run)`);
  console.log(
    `  hits: ${big.hits.toLocaleString('en')} vs ${base.hits.toLocaleString('en')}; database ${(big.bytes / 2 ** 30).toFixed(1)} vs ${(base.bytes / 2 ** 30).toFixed(2)} GiB; ` +
      `generated in ${(big.generateMs / 60000).toFixed(1)} vs ${(base.generateMs / 60000).toFixed(1)} min`,
  );
  console.log(
    `${'figure'.padEnd(52)} ${'baseline ms'.padStart(12)} ${'history ms'.padStart(12)} ${'ratio'.padStart(7)}`,
  );
  for (const [name, a, b] of rows) {
    console.log(
      `${name.padEnd(52)} ${a.toFixed(1).padStart(12)} ${b.toFixed(1).padStart(12)} ${(b / a).toFixed(2).padStart(7)}`,
    );
  }
  const flat = rows.slice(0, 3).every(([, a, b]) => b / a <= 1.5);
  console.log(`target: the first three within 1.5× — ${flat ? 'met' : 'MISSED'}`);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
function monthStart(at: Date, add = 0): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + add, 1)).toISOString();
}
