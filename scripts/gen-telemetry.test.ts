import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseTelemetry } from '@/lib/ingest/parseTelemetry';
import { canonicalIp } from '@/lib/net/ip';
import {
  builtInRelayAddresses,
  generateTelemetry,
  readRelayAddresses,
  type Format,
  type GenerateTelemetryOptions,
} from './gen-telemetry';

const SAMPLES = [
  path.resolve(import.meta.dirname, '../../shared/examples/kql-parity'),
  '/work/shared/examples/kql-parity',
].find((dir) => existsSync(dir))!;

async function text(options: GenerateTelemetryOptions): Promise<string> {
  const lines: string[] = [];
  for await (const line of generateTelemetry(options)) lines.push(line);
  return lines.join('');
}

async function roundTrip(options: GenerateTelemetryOptions) {
  const totals = {
    events: [] as Array<{ remoteIp: string | null }>,
    devices: 0,
    rejects: [] as unknown[],
    skipped: 0,
    source: '',
  };
  for await (const chunk of parseTelemetry(Readable.from(generateTelemetry(options)), { file: 'generated' })) {
    totals.events.push(...chunk.events);
    totals.devices += chunk.devices.length;
    totals.rejects.push(...chunk.rejects);
    totals.skipped += chunk.skipped;
    totals.source = chunk.source;
  }
  return totals;
}

describe('gen-telemetry', () => {
  it('is deterministic for a seed', async () => {
    const options = { events: 500, seed: 'a', devices: 20 };
    const first = await text(options);
    expect(await text(options)).toBe(first);
    expect(await text({ ...options, seed: 'b' })).not.toBe(first);
    expect(createHash('sha256').update(first).digest('hex').slice(0, 12)).toMatch(/^[0-9a-f]{12}$/);
  });

  it.each([
    ['defender-csv', 'defender-network-events'],
    ['defender-stream', 'defender-stream'],
    ['zeek-tsv', 'zeek-conn'],
    ['zeek-json', 'zeek-conn'],
  ] as const)(
    '%s round-trips through the parsers with no rejects and the exact relay share',
    async (format, source) => {
      const relays = builtInRelayAddresses('rt', 300);
      const events = 3000;
      const result = await roundTrip({
        events,
        format: format as Format,
        seed: 'rt',
        relays,
        relayShare: 0.05,
        devices: 30,
      });
      expect(result.source).toBe(source);
      expect(result.rejects).toEqual([]);
      expect(result.events).toHaveLength(events);
      const relaySet = new Set(relays);
      expect(result.events.filter((e) => e.remoteIp !== null && relaySet.has(e.remoteIp))).toHaveLength(150);
      if (format === 'defender-stream') {
        expect(result.devices).toBe(30);
        expect(result.skipped).toBe(30); // one other-category record every 100 events
      }
    },
  );

  it('device-info-csv round-trips with no rejects', async () => {
    const result = await roundTrip({ events: 1000, format: 'device-info-csv', seed: 'di', devices: 10 });
    expect(result).toMatchObject({ source: 'defender-device-info', devices: 1000, rejects: [] });
  });

  it('writes realistic Defender CSV: 44 columns, CRLF, 7-digit fractions, odd addresses and hostile names', async () => {
    const csv = await text({ events: 5000, seed: 'shape' });
    const [header, first] = csv.split('\r\n');
    expect(header.split(',')).toHaveLength(44);
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z,[0-9a-f]{40},/);
    expect(csv).not.toMatch(/[^\r]\n/);
    expect(csv).toContain(',::ffff:');
    expect(csv).toMatch(/,2001:[0-9a-f]{4}:/);
    expect(csv).toContain(',ListeningConnectionCreated,,,');
    for (const name of [
      'tor.exe',
      'firefox.exe',
      'powershell.exe',
      '<img src=x onerror=alert(1)>',
      '"say ""hi"", world.exe"',
    ]) {
      expect(csv).toContain(`,${name},`);
    }
    expect(csv).toContain('"{""direction"": ""Out"", ""note"": ""x,\\""y\\""""}"');
  });

  it('reads relay addresses from a TorRelayIPs.csv or a plain list', async () => {
    const fromCsv = await readRelayAddresses(path.join(SAMPLES, 'relays.csv'));
    expect(fromCsv.length).toBeGreaterThan(200);
    expect(fromCsv.every((ip) => canonicalIp(ip) === ip)).toBe(true);
    const dir = await mkdtemp(path.join(tmpdir(), 'gen-telemetry-'));
    await writeFile(path.join(dir, 'list.txt'), '1.2.3.4\n::ffff:5.6.7.8\r\n2001:DB8::1\n\nnot an ip\n');
    expect(await readRelayAddresses(path.join(dir, 'list.txt'))).toEqual(['1.2.3.4', '5.6.7.8', '2001:db8::1']);
  });

  it('runs from the command line, writing the relay set it used', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gen-telemetry-'));
    const out = path.join(dir, 'events.csv');
    const relaysOut = path.join(dir, 'relays.txt');
    const tsx = path.resolve(import.meta.dirname, '../node_modules/.bin/tsx');
    const run = promisify(execFile);
    await run(
      tsx,
      [
        'scripts/gen-telemetry.ts',
        '--events',
        '200',
        '--relay-share',
        '0.1',
        '--seed',
        'cli',
        '--out',
        out,
        '--relays-out',
        relaysOut,
      ],
      { cwd: path.resolve(import.meta.dirname, '..') },
    );
    const written = await readFile(out, 'utf8');
    expect(written).toBe(await text({ events: 200, relayShare: 0.1, seed: 'cli' }));
    expect((await readFile(relaysOut, 'utf8')).trim().split('\n')).toEqual(builtInRelayAddresses('cli'));
    await expect(
      run(tsx, ['scripts/gen-telemetry.ts', '--format', 'nope'], { cwd: path.resolve(import.meta.dirname, '..') }),
    ).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});
