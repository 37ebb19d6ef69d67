/**
 * Synthetic telemetry for tests, demos and benchmarks — deterministic for a seed, streamed (never one big array).
 *
 *   npx tsx scripts/gen-telemetry.ts --events N [--format defender-csv|defender-stream|zeek-tsv|zeek-json|device-info-csv]
 *     [--devices 200] [--relay-share 0.01] [--relays FILE | --relays-out FILE] [--seed S] [--days 30]
 *     [--end ISO] [--out FILE|-]
 *
 * Exactly floor(N × relay-share) rows take their remote address from the relay set (a TorRelayIPs.csv or one IP a
 * line; else a built-in pseudo-random set, written out with --relays-out); no other row does. Shapes follow
 * shared/examples/kql-parity: 44 columns, 7-digit fractions, CRLF, JSON in AdditionalFields, hostile process names,
 * IPv4-mapped, IPv6 and empty RemoteIP. defender-stream also carries one DeviceInfo record per device first and one
 * record of another category (to be skipped) every 100 events.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { canonicalIp } from '@/lib/net/ip';
import { NETWORK_HEADER, DEVICE_INFO_HEADER, ZEEK_FIELDS, TelemetryWorld, type Format } from './gen-telemetry-world';

export type { Format } from './gen-telemetry-world';

export interface GenerateTelemetryOptions {
  events: number;
  format?: Format;
  devices?: number;
  relayShare?: number;
  /** Relay addresses to draw from; default: builtInRelayAddresses(seed). */
  relays?: readonly string[];
  seed?: string | number;
  days?: number;
  /** The newest possible event time (fixed by default so output depends on the seed alone). */
  end?: string;
}

export const DEFAULT_END = '2026-11-20T12:00:00Z';

/** Lines of the chosen format, each with its own line ending (CRLF for CSV, LF otherwise). */
export async function* generateTelemetry(options: GenerateTelemetryOptions): AsyncGenerator<string> {
  yield* telemetryLines(options);
}

/** generateTelemetry without an await per line (~2x faster for big files). */
export function* telemetryLines(options: GenerateTelemetryOptions): Generator<string> {
  const format = options.format ?? 'defender-csv';
  const seed = String(options.seed ?? 1);
  const relays = options.relays ?? builtInRelayAddresses(seed);
  const world = new TelemetryWorld({
    seed,
    devices: options.devices ?? 200,
    relays,
    days: options.days ?? 30,
    endSeconds: Date.parse(options.end ?? DEFAULT_END) / 1000,
  });
  const events = options.events;
  const relayRows = (i: number) =>
    Math.floor((i + 1) * (options.relayShare ?? 0.01)) > Math.floor(i * (options.relayShare ?? 0.01));

  switch (format) {
    case 'defender-csv':
      yield `${NETWORK_HEADER.join(',')}\r\n`;
      for (let i = 0; i < events; i++) yield `${world.networkRow(i, relayRows(i)).map(csvCell).join(',')}\r\n`;
      return;
    case 'device-info-csv':
      yield `${DEVICE_INFO_HEADER.join(',')}\r\n`;
      for (let i = 0; i < events; i++) yield `${world.deviceInfoRow(i).map(csvCell).join(',')}\r\n`;
      return;
    case 'defender-stream': {
      for (let d = 0; d < world.deviceCount; d++) yield `${JSON.stringify({ records: [world.deviceInfoRecord(d)] })}\n`;
      let batch: object[] = [];
      for (let i = 0; i < events; i++) {
        batch.push(world.networkRecord(i, relayRows(i)));
        if (i % 100 === 99) batch.push(world.otherCategoryRecord(i));
        if (batch.length >= 20) {
          yield `${JSON.stringify({ records: batch })}\n`;
          batch = [];
        }
      }
      if (batch.length > 0) yield `${JSON.stringify({ records: batch })}\n`;
      return;
    }
    case 'zeek-tsv':
      yield* zeekTsvHeader(options.end ?? DEFAULT_END);
      for (let i = 0; i < events; i++) yield `${world.zeekRow(i, events, relayRows(i)).join('\t')}\n`;
      yield `#close\t${zeekTime(options.end ?? DEFAULT_END)}\n`;
      return;
    case 'zeek-json':
      for (let i = 0; i < events; i++) yield `${world.zeekJson(i, events, relayRows(i))}\n`;
      return;
  }
}

/** A pseudo-random relay address set (80% IPv4, 20% IPv6), canonical, fixed by the seed. */
export function builtInRelayAddresses(seed: string | number, count = 2000): string[] {
  return TelemetryWorld.relaySet(String(seed), count);
}

/** Relay addresses from a TorRelayIPs.csv (IPAddress, or v1 IPv4Address/IPv6Address) or one IP a line. */
export async function readRelayAddresses(file: string): Promise<string[]> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const header = text.slice(0, text.search(/\r?\n|$/));
  const isCsv = /(^|,)"?(IPAddress|IPv4Address|IPv6Address)"?(,|$)/.test(header);
  const cells = isCsv
    ? (
        parseCsv(text, { columns: true, relax_column_count: true, skip_empty_lines: true }) as Array<
          Record<string, string>
        >
      ).flatMap((row) => [row.IPAddress, row.IPv4Address, row.IPv6Address].filter((cell) => cell !== undefined))
    : text.split(/\r?\n/);
  const addresses = new Set<string>();
  for (const cell of cells) {
    // v1 keeps IPv6 as `[2001:db8::1]:443`.
    const ip = canonicalIp(cell.trim().replace(/^\[([^\]]+)\](:\d+)?$/, '$1'));
    if (ip) addresses.add(ip);
  }
  return [...addresses];
}

/** RFC 4180: quote a cell holding a comma, quote or line break. */
function csvCell(value: string): string {
  return value !== '' && NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
const NEEDS_QUOTES = /[",\r\n]/;

function* zeekTsvHeader(end: string): Generator<string> {
  const types = [
    'time',
    'string',
    'addr',
    'port',
    'addr',
    'port',
    'enum',
    'string',
    'interval',
    'count',
    'count',
    'string',
    'bool',
    'bool',
    'count',
    'string',
    'count',
    'count',
    'count',
    'count',
    'set[string]',
  ];
  yield '#separator \\x09\n';
  yield '#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n';
  yield `#open\t${zeekTime(end)}\n`;
  yield `#fields\t${ZEEK_FIELDS.join('\t')}\n`;
  yield `#types\t${types.join('\t')}\n`;
}

function zeekTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', '-').replaceAll(':', '-');
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      format: { type: 'string', default: 'defender-csv' },
      devices: { type: 'string', default: '200' },
      'relay-share': { type: 'string', default: '0.01' },
      relays: { type: 'string' },
      'relays-out': { type: 'string' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string', default: '30' },
      end: { type: 'string', default: DEFAULT_END },
      out: { type: 'string', default: '-' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const formats: Format[] = ['defender-csv', 'defender-stream', 'zeek-tsv', 'zeek-json', 'device-info-csv'];
  const events = Number(values.events);
  const format = values.format as Format;
  if (values.help || !Number.isSafeInteger(events) || events < 0 || !formats.includes(format)) {
    process.stderr.write(
      'usage: gen-telemetry --events N [--format ' +
        formats.join('|') +
        '] [--devices 200] ' +
        '[--relay-share 0.01] [--relays FILE | --relays-out FILE] [--seed S] [--days 30] [--end ISO] [--out FILE|-]\n',
    );
    process.exitCode = 2;
    return;
  }
  const relays = values.relays ? await readRelayAddresses(values.relays) : builtInRelayAddresses(values.seed);
  if (relays.length === 0) throw new Error(`${values.relays}: no relay addresses found`);
  if (values['relays-out']) await writeFile(values['relays-out'], `${relays.join('\n')}\n`);
  const out = values.out === '-' ? process.stdout : createWriteStream(values.out);
  const lines = telemetryLines({
    events,
    format,
    devices: Number(values.devices),
    relayShare: Number(values['relay-share']),
    relays,
    seed: values.seed,
    days: Number(values.days),
    end: values.end,
  });
  let batch = '';
  for (const line of lines) {
    batch += line;
    if (batch.length >= 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.write(batch);
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`gen-telemetry: ${error.message}\n`);
    process.exitCode = 1;
  });
}
