import { createReadStream } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { telemetryLines } from '@/scripts/gen-telemetry';
import { collect } from './__fixtures__/collect';
import { CHUNK_ROWS, parseTelemetry } from './parseTelemetry';
import { IngestFormatError } from './types';

const rows = (count: number) =>
  'Timestamp,DeviceId,RemoteIP\r\n' +
  Array.from({ length: count }, (_, i) => `2023-10-18T15:43:47.1549452Z,dev-${i % 7},198.51.100.${i % 250}\r\n`).join(
    '',
  );

describe('parseTelemetry', () => {
  it('yields chunks of CHUNK_ROWS (1,000) rows', async () => {
    const sizes: number[] = [];
    async function* input() {
      yield Buffer.from(rows(2 * CHUNK_ROWS + 500));
    }
    for await (const chunk of parseTelemetry(input(), { file: 'x.csv' })) sizes.push(chunk.rowsRead);
    expect(CHUNK_ROWS).toBe(1000);
    expect(sizes).toEqual([CHUNK_ROWS, CHUNK_ROWS, 500]);
  });

  it('reads a Node stream, including one that gives strings', async () => {
    const file = path.join(import.meta.dirname, '__fixtures__', 'conn.log');
    const plain = await gather(parseTelemetry(createReadStream(file, { highWaterMark: 64 }), { file }));
    const text = await gather(
      parseTelemetry(createReadStream(file, { encoding: 'utf8', highWaterMark: 64 }), { file }),
    );
    expect(plain.events).toHaveLength(3);
    expect(text).toEqual(plain);
  });

  it('gunzips transparently, whatever the piece size', async () => {
    for (const [count, pieceSize] of [
      [20, 1],
      [3000, 1000],
      [3000, 65536],
    ]) {
      const result = await collect(gzipSync(rows(count)), { file: 'x.csv.gz', pieceSize });
      expect({ error: result.error, events: result.events.length, source: result.source }).toEqual({
        error: null,
        events: count,
        source: 'defender-network-events',
      });
    }
  }, 20_000);

  it('yields the rows before a truncated gzip, then throws where it stopped', async () => {
    const gz = gzipSync(rows(20000));
    const result = await collect(gz.subarray(0, Math.floor(gz.length / 2)), { file: 'x.csv.gz', pieceSize: 4096 });
    expect(result.error).toBeInstanceOf(IngestFormatError);
    const error = result.error as IngestFormatError;
    expect(error.message).toMatch(/^x\.csv\.gz:\d+: truncated gzip/);
    expect(result.events.length).toBeGreaterThan(1000);
    expect(result.rejects).toEqual([]);
    expect(error.line).toBeGreaterThan(result.events.at(-1)!.line); // the cut-off line, not a rejected row
  });

  it('yields the rows of a small truncated gzip too (cut before the format was told)', async () => {
    const gz = gzipSync(rows(100));
    const result = await collect(gz.subarray(0, gz.length - 12), { file: 'small.csv.gz' });
    expect(result.error?.message).toMatch(/^small\.csv\.gz:\d+: truncated gzip/);
    expect(result.events.length).toBeGreaterThan(90);
    expect(result.rejects).toEqual([]);
  });

  it.each([
    [
      'NUL bytes',
      Buffer.from('Timestamp,DeviceId,RemoteIP\n\u0000\u0001\u0002\u0003garbage'),
      /binary content \(NUL bytes\)/,
    ],
    [
      'a zip archive',
      Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000'),
      /binary content \(a zip archive\): unpack it first/,
    ],
    [
      'random bytes',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => ((i * 7919 + 13) % 255) + 1)),
      /binary content/,
    ],
    ['an empty file', Buffer.alloc(0), /: empty file$/],
    ['only blank lines', Buffer.from('\r\n\r\n'), /: empty file$/],
  ])('refuses %s', async (_, input, message) => {
    const result = await collect(input, { file: 'f.bin' });
    expect(result.error).toBeInstanceOf(IngestFormatError);
    expect(result.error?.message).toMatch(message);
    expect(result.rowsRead).toBe(0);
  });

  it('reads UTF-16 with a BOM (a "Unicode text" save)', async () => {
    const text =
      'Timestamp,DeviceName,RemoteIP,InitiatingProcessFileName\r\n2023-10-18T15:43:47Z,wks-1,1.2.3.4,naïve-服务.exe\r\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = await collect(utf16, { pieceSize: 7 });
    expect(result.events.map((e) => e.processFileName)).toEqual(['naïve-服务.exe']);
  });

  it('keeps a multi-byte character split across pieces intact', async () => {
    const text =
      'Timestamp,DeviceName,RemoteIP,InitiatingProcessFileName\n2023-10-18T15:43:47Z,wks-1,1.2.3.4,naïve-服务.exe\n';
    for (const pieceSize of [1, 2, 3]) {
      const result = await collect(text, { pieceSize });
      expect(result.events[0].processFileName).toBe('naïve-服务.exe');
    }
  });

  // Its speed is measured against csv-parse in `npm run bench:parse`.
  it('parses 5,000 rows of 44-column Defender CSV arriving in 64 KiB pieces, none rejected', async () => {
    const count = 5_000; // five chunks, ~50 pieces: every boundary case, without a speed check in disguise
    const bytes = Buffer.from([...telemetryLines({ events: count, seed: 'throughput' })].join(''));
    async function* pieces() {
      for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536);
    }
    let read = 0;
    let rejected = 0;
    for await (const chunk of parseTelemetry(pieces(), { file: 'bench.csv' })) {
      read += chunk.rowsRead;
      rejected += chunk.rejects.length;
    }
    expect({ read, rejected }).toEqual({ read: count, rejected: 0 });
  }, 60_000);
});

async function gather(chunks: AsyncIterable<{ events: unknown[]; rejects: unknown[] }>) {
  const all = { events: [] as unknown[], rejects: [] as unknown[] };
  for await (const chunk of chunks) {
    all.events.push(...chunk.events);
    all.rejects.push(...chunk.rejects);
  }
  return all;
}
