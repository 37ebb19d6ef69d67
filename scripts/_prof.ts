import { createReadStream } from 'node:fs';
import { CollectorBatch } from '@/lib/relays/archive/readCollectorDocuments';
import { tarEntries } from '@/lib/relays/archive/tarEntries';
import { xzDecompress } from '@/lib/relays/archive/xzStream';
const file = process.argv[2];
let t = performance.now();
let bytes = 0;
for await (const c of xzDecompress(createReadStream(file, { highWaterMark: 1 << 20 }))) bytes += c.length;
console.log('xz only', bytes, ((performance.now() - t) / 1000).toFixed(2));
t = performance.now();
let n = 0;
for await (const e of tarEntries(xzDecompress(createReadStream(file, { highWaterMark: 1 << 20 })))) { for await (const c of e.body) n += c.length; }
console.log('xz+tar', n, ((performance.now() - t) / 1000).toFixed(2));
t = performance.now();
const batch = new CollectorBatch();
for await (const e of tarEntries(xzDecompress(createReadStream(file, { highWaterMark: 1 << 20 })))) await batch.read(e.name, e.body);
console.log('xz+tar+parse', batch.consensuses, batch.consensus.keyCount, ((performance.now() - t) / 1000).toFixed(2));
