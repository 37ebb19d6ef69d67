import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { downloadRelayDocument, FeedDownloadError } from '@/lib/relays/downloadRelayDocument';
import { ensureDefaultFeeds } from '@/lib/relays/ensureDefaultFeeds';
import { describeImport, fetchFeed } from '@/lib/relays/fetchFeed';
import { importRelaySnapshot } from '@/lib/relays/importRelaySnapshot';
import { lookupRelayAddress, RelayLookupError, type RelayAddressInterval } from '@/lib/relays/lookupRelayAddress';
import type { RelayFormat } from '@/lib/relays/types';
import { CommandError, UsageError } from './errors';
import { backfillCommand, importHistoryCommand, isRelayHistory } from './relayHistory';
import { instantOption } from './instantOption';
import { withDatabase } from './withDatabase';

export const usage = [
  'torwatch relays import <file-or-url> [--format auto|torrelayips-csv|onionoo|exit-list|bulk-exit-list] [--observed-at ISO] [--force]',
  '       torwatch relays import <consensus|.tar.xz|.tar|directory>   (relay history from CollecTor)',
  '       torwatch relays backfill --from YYYY-MM --to YYYY-MM [--collector-url URL]',
  '       torwatch relays fetch [feed]',
  '       torwatch relays lookup <ip> [--at ISO]',
].join('\n');

const FORMATS = ['auto', 'torrelayips-csv', 'onionoo', 'exit-list', 'bulk-exit-list'];
const REJECTS_SHOWN = 20;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') return importCommand(rest);
  if (sub === 'fetch') return fetchCommand(rest);
  if (sub === 'lookup') return lookupCommand(rest);
  if (sub === 'backfill') return backfillArgs(rest);
  throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand (import, backfill, fetch or lookup)');
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(args: string[], options: Options, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionals)
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

async function backfillArgs(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    { from: { type: 'string' }, to: { type: 'string' }, 'collector-url': { type: 'string' } },
    0,
  );
  const month = (name: string) => {
    const value = values[name];
    if (typeof value !== 'string') throw new UsageError(`--${name} YYYY-MM is required`);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
      throw new UsageError(`--${name} must be a month such as 2026-06, got "${value}"`);
    return value;
  };
  const from = month('from');
  const to = month('to');
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const url = values['collector-url'] as string | undefined;
  if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url))
    throw new UsageError(`--collector-url must be an http(s) URL, got "${url}"`);
  return withDatabase(() => backfillCommand(from, to, url));
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string' },
      'observed-at': { type: 'string' },
      force: { type: 'boolean' },
    },
    1,
  );
  const source = positionals[0];
  if (!source) throw new UsageError('missing the file or URL to import');
  if (await isRelayHistory(source)) return withDatabase(() => importHistoryCommand(source));
  const format = (values.format as string | undefined) ?? 'auto';
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const observedAt = instantOption('--observed-at', values['observed-at'] as string | undefined);
  const input = await readSource(source);
  return withDatabase(async () => {
    const result = await importRelaySnapshot(input, {
      source,
      format: format as RelayFormat | 'auto',
      observedAt,
      force: Boolean(values.force),
    });
    for (const reject of result.rejects.slice(0, REJECTS_SHOWN)) {
      console.error(`${source}:${reject.line ?? '-'}: ${reject.field}: ${reject.reason}`);
    }
    if (result.rejected > REJECTS_SHOWN) console.error(`${source}: … ${result.rejected - REJECTS_SHOWN} more rejected`);
    if (result.status === 'refused') throw new CommandError(result.reason ?? 'refused');
    console.log(`${source}: ${describeImport(result)}`);
    return 0;
  });
}

/** The document's bytes: downloaded (same limits as the fetcher), or read from a file (gunzipped when .gz). */
async function readSource(source: string): Promise<Buffer> {
  if (/^https?:\/\//i.test(source)) {
    try {
      const download = await downloadRelayDocument(source);
      if (download.notModified)
        throw new CommandError(`${source}: the server answered 304 Not Modified to an unconditional request`);
      return download.body;
    } catch (error) {
      if (error instanceof FeedDownloadError) throw new CommandError(error.message);
      throw error;
    }
  }
  const info = await stat(source).catch(() => null);
  if (!info) throw new CommandError(`${source}: no such file`);
  if (!info.isFile()) throw new CommandError(`${source}: not a file`);
  const bytes = await readFile(source);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new CommandError(`${source}: the gzip file is corrupt or truncated (${(error as Error).message})`);
  }
}

async function fetchCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  const only = positionals[0];
  return withDatabase(async () => {
    await ensureDefaultFeeds(() => {});
    const { getPrisma } = await import('@/lib/db/client');
    const names = only
      ? [only]
      : (
          await getPrisma().relayFeed.findMany({
            where: { enabled: true, url: { not: null } },
            orderBy: { id: 'asc' },
            select: { name: true },
          })
        ).map((feed) => feed.name);
    if (names.length === 0) throw new CommandError('no enabled relay feed (enable one in Settings → Schedules)');
    let failed = 0;
    for (const name of names) {
      const result = await fetchFeed(name, { includeDisabled: Boolean(only) }).catch((error: Error) => {
        throw new CommandError(error.message);
      });
      if (result.status === 'failed' || result.status === 'refused') {
        failed++;
        console.error(result.message);
      } else {
        console.log(result.message);
      }
    }
    return failed > 0 ? 1 : 0;
  });
}

async function lookupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { at: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError('missing the IP address to look up');
  const at = instantOption('--at', values.at as string | undefined) ?? new Date();
  return withDatabase(async () => {
    let lookup;
    try {
      lookup = await lookupRelayAddress(positionals[0], at);
    } catch (error) {
      if (error instanceof RelayLookupError) throw new UsageError(error.message);
      throw error;
    }
    const when = `${lookup.at} (relay lists widened by ±${lookup.graceHours} h, consensus history by ±${lookup.consensusGraceHours} h)`;
    if (lookup.wasRelay) {
      console.log(`${lookup.ip} was a Tor relay address at ${when}:`);
      for (const interval of lookup.matches) console.log(`  ${formatInterval(interval)}`);
    } else {
      console.log(`${lookup.ip} was not a Tor relay address at ${when}`);
    }
    if (lookup.consensus) {
      const day = lookup.consensus;
      if (day.relays.length === 0)
        console.log(`consensus history: listed in 0 of ${day.consensuses} consensuses on ${day.day}`);
      for (const relay of day.relays) {
        const flags = relay.flags.length ? ` [${relay.flags.join(',')}]` : '';
        console.log(
          `consensus history: ${relay.fingerprint} ${relay.nickname ?? '(no nickname)'}${flags} port ${relay.ports.join(',')}: ` +
            `listed in ${relay.listed} of ${day.consensuses} consensuses on ${day.day}`,
        );
      }
      if (day.around.length) {
        const hours = day.around.map((hour) => `${hour.validAfter.slice(11, 13)}${hour.listed ? '+' : '-'}`);
        console.log(`consensus hours around ${lookup.at.slice(0, 13)}h (+ listed, - not): ${hours.join(' ')}`);
      }
    }
    if (lookup.otherIntervals.length) {
      console.log(`listed at other times:`);
      for (const interval of lookup.otherIntervals) console.log(`  ${formatInterval(interval)}`);
    }
    return lookup.wasRelay ? 0 : 1;
  });
}

function formatInterval(interval: RelayAddressInterval): string {
  const relay = interval.fingerprint
    ? `${interval.fingerprint} ${interval.nickname ?? '(no nickname)'}`
    : '(unnamed relay, bulk exit list)';
  const flags = interval.flags.length ? ` [${interval.flags.join(',')}]` : '';
  const country = interval.country ? ` ${interval.country}` : '';
  const address = interval.port
    ? interval.ip.includes(':')
      ? `[${interval.ip}]:${interval.port}`
      : `${interval.ip}:${interval.port}`
    : interval.ip;
  return (
    `${relay}${flags}${country}  ${interval.kind} ${address}  ${interval.validFrom} – ${interval.validTo}` +
    (interval.evidence === 'consensus' ? '  (consensus history)' : '') +
    (interval.strict ? '' : '  (within grace)')
  );
}
