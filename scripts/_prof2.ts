import { createReadStream } from 'node:fs';
import { CollectorBatch } from '@/lib/relays/archive/readCollectorDocuments';
import { tarEntries } from '@/lib/relays/archive/tarEntries';
import { xzDecompress } from '@/lib/relays/archive/xzStream';
const file = process.argv[2];
const t = performance.now();
const batch = new CollectorBatch();
for await (const e of tarEntries(xzDecompress(createReadStream(file, { highWaterMark: 1 << 20 })))) await batch.read(e.name, e.body);
console.log('xz+tar+parse', batch.consensuses, batch.consensus.keyCount, ((performance.now() - t) / 1000).toFixed(2));
