// npm run bench:parse — the parsers' speed and the ingest's young-generation cap, each against a baseline measured in
// the same run on the same machine (the speed checks that used to sit in the unit tests, where a busy machine made
// them fail and a fast one made them say nothing):
//   (1) parseRelayDocument on a 10,000-row TorRelayIPs.csv vs csv-parse alone on the same text (median of 7);
//   (2) parseTelemetry on a 100,000-row, 44-column Defender CSV vs csv-parse alone on the same bytes, rows/s of CPU;
//   (3) capYoungGeneration: V8's young generation under allocation churn, capped at 4 MB vs left to grow (fresh
//       processes; the setting is process-wide).
// Prints each ratio with its target; exits 1 when one misses it.
//   BENCH_TELEMETRY_ROWS=20000 npm run bench:parse    (smaller run)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse as csvParseSync } from 'csv-parse/sync';
import { parse as csvParseStream } from 'csv-parse';
import { parseTelemetry } from '../lib/ingest/parseTelemetry';
import { parseRelayDocument } from '../lib/relays/parseRelayDocument';
import { bigTorRelayCsv } from '../lib/relays/__fixtures__/relayDocuments';
import { telemetryLines } from './gen-telemetry';

const TELEMETRY_ROWS = Number(process.env.BENCH_TELEMETRY_ROWS ?? 100_000);
const results: Array<{ name: string; ratio: number; target: number; detail: string }> = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** CPU milliseconds of this process for one call (other processes share the machine; wall time would count them). */
async function cpuMs(work: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

// (1) The relay list parser: header detection, address/port/date validation, dedup — vs the bare CSV tokenizer.
{
  const text = bigTorRelayCsv(10_000).toString('utf8');
  const doc = parseRelayDocument(text);
  if (doc.addresses.length !== 10_000 || doc.rejectCount !== 0) throw new Error('relay CSV: unexpected parse result');
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 7; i++) {
    base.push(await cpuMs(() => csvParseSync(text, { columns: true, bom: true })));
    ours.push(await cpuMs(() => parseRelayDocument(text)));
  }
  const ratio = median(ours) / median(base);
  results.push({
    name: 'parseRelayDocument / csv-parse, 10,000-row TorRelayIPs.csv',
    ratio,
    target: 2,
    detail: `${median(ours).toFixed(0)} ms vs ${median(base).toFixed(0)} ms`,
  });
}

// (2) The telemetry parser, streamed in 64 KiB pieces as an upload arrives.
{
  let text = '';
  for (const line of telemetryLines({ events: TELEMETRY_ROWS, seed: 'throughput' })) text += line;
  const bytes = Buffer.from(text);
  text = '';
  async function* pieces(input: Buffer) {
    for (let i = 0; i < input.length; i += 65536) yield input.subarray(i, i + 65536);
  }
  const ours = async () => {
    let read = 0;
    for await (const chunk of parseTelemetry(pieces(bytes), { file: 'bench.csv' })) read += chunk.rowsRead;
    if (read !== TELEMETRY_ROWS) throw new Error(`parseTelemetry read ${read} rows`);
  };
  const base = async () => {
    let read = 0;
    for await (const record of streamRecords(bytes)) if (record) read++;
    if (read !== TELEMETRY_ROWS) throw new Error(`csv-parse read ${read} rows`);
  };
  async function* streamRecords(input: Buffer) {
    const parser = csvParseStream({ columns: true, bom: true, relax_column_count: true });
    const feeding = (async () => {
      for await (const piece of pieces(input))
        if (!parser.write(piece)) await new Promise((r) => parser.once('drain', r));
      parser.end();
    })();
    for await (const record of parser) yield record;
    await feeding;
  }
  await ours(); // warm up the JIT and the heap
  await base();
  const oursMs: number[] = [];
  const baseMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    baseMs.push(await cpuMs(base));
    oursMs.push(await cpuMs(ours));
  }
  const rate = (ms: number) => Math.round(TELEMETRY_ROWS / (ms / 1000)).toLocaleString('en');
  results.push({
    name: `parseTelemetry / csv-parse, ${TELEMETRY_ROWS.toLocaleString('en')}-row Defender CSV (${(bytes.length / 1e6).toFixed(0)} MB)`,
    ratio: median(oursMs) / median(baseMs),
    target: 0.5, // hand-written because csv-parse was ~4× slower on 44-column rows (defenderCsv.ts)
    detail: `${rate(median(oursMs))} vs ${rate(median(baseMs))} rows/s of CPU`,
  });
}

// (3) The young-generation cap (lib/ingest/youngGeneration.ts), in fresh processes.
{
  const churn = `
    import v8 from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(path.resolve(import.meta.dirname, '../lib/ingest/youngGeneration.ts'))});
    const check = process.argv[1] === 'cap' ? capYoungGeneration(4 * 1024 * 1024) : () => {};
    const live = new Array(50000);
    for (let i = 0; i < 3000000; i++) {
      live[i % live.length] = { i, text: 'row ' + i };
      if (i % 1000 === 0) check();
    }
    console.log(v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size);
  `;
  const youngMb = (mode: 'cap' | 'free') => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', churn, mode], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return Number(run.stdout.trim()) / 1024 / 1024;
  };
  const free = youngMb('free');
  const capped = youngMb('cap');
  results.push({
    name: 'young generation capped at 4 MB / uncapped, under churn',
    ratio: capped / free,
    target: 0.25,
    detail: `${capped.toFixed(0)} MB vs ${free.toFixed(0)} MB`,
  });
}

let missed = 0;
for (const { name, ratio, target, detail } of results) {
  const ok = ratio <= target;
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${name}: ratio ${ratio.toFixed(2)} (target ≤ ${target}) — ${detail}`);
}
process.exit(missed ? 1 : 0);
