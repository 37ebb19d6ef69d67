import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readRelayUpload } from '@/lib/relays/readRelayUpload';
import { InflationMeter, LimitExceeded, RATIO_GRACE_BYTES } from './ingestLimits';
import { takeIngestSlot } from './ingestSlots';

const MiB = 1024 * 1024;
const saved = { ...process.env };
afterEach(() => {
  for (const key of ['TORWATCH_MAX_INFLATED_BYTES', 'TORWATCH_MAX_INFLATION_RATIO', 'TORWATCH_MAX_CONCURRENT_INGESTS'])
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
});

describe('InflationMeter', () => {
  it('lets real telemetry ratios through and refuses past 100× once past the grace bytes', () => {
    const meter = new InflationMeter();
    meter.addCompressed(MiB);
    meter.addInflated(20 * MiB); // 20×, as real telemetry
    expect(() => meter.addInflated(100 * MiB)).toThrow(/more than 100× its compressed size/);
    const small = new InflationMeter();
    small.addCompressed(100);
    expect(() => small.addInflated(RATIO_GRACE_BYTES)).not.toThrow(); // a small file's first bytes never trip it
  });

  it('refuses past TORWATCH_MAX_INFLATED_BYTES whatever the ratio', () => {
    process.env.TORWATCH_MAX_INFLATED_BYTES = String(8 * MiB);
    process.env.TORWATCH_MAX_INFLATION_RATIO = '1000000';
    const meter = new InflationMeter();
    meter.addCompressed(MiB);
    meter.addInflated(8 * MiB);
    let error: unknown;
    try {
      meter.addInflated(1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LimitExceeded);
    expect((error as LimitExceeded).message).toMatch(/more than 8 MiB \(TORWATCH_MAX_INFLATED_BYTES\)/);
    expect((error as LimitExceeded).status).toBe(413);
  });
});

describe('relay uploads', () => {
  const stream = (buffer: Buffer) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < buffer.length; i += 65536) controller.enqueue(buffer.subarray(i, i + 65536));
        controller.close();
      },
    });

  it('inflate as they stream, and a bomb is refused by its ratio', async () => {
    const list = Buffer.from('93.184.215.14\n'.repeat(1000));
    expect((await readRelayUpload(stream(gzipSync(list)), 200 * MiB, 'exits.gz')).equals(list)).toBe(true);
    const bomb = gzipSync(Buffer.alloc(64 * MiB, '\n'));
    await expect(readRelayUpload(stream(bomb), 200 * MiB, 'bomb.gz')).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/bomb\.gz: decompresses to more than 100× its size/),
    });
    await expect(readRelayUpload(stream(gzipSync(list)), 1000, 'big.gz')).rejects.toMatchObject({ status: 413 });
  });
});

describe('ingest slots', () => {
  it('hands out TORWATCH_MAX_CONCURRENT_INGESTS slots, then none until one is released', () => {
    process.env.TORWATCH_MAX_CONCURRENT_INGESTS = '2';
    const a = takeIngestSlot()!;
    const b = takeIngestSlot()!;
    expect(takeIngestSlot()).toBeNull();
    a();
    a(); // releasing twice frees one slot, not two
    const c = takeIngestSlot()!;
    expect(takeIngestSlot()).toBeNull();
    b();
    c();
  });
});
