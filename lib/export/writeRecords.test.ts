import { describe, expect, it } from 'vitest';
import { writeRecords } from './writeRecords';

const COLUMNS = ['A', 'B'] as const;
const batches = [[{ A: '=1', B: null }], [{ A: 'x,y', B: 2 }]];

async function written(format: 'csv' | 'json', source = batches) {
  const chunks: string[] = [];
  const count = await writeRecords(
    COLUMNS,
    format,
    async (onRows) => {
      for (const rows of source) await onRows(rows);
      return source.flat().length;
    },
    async (chunk) => void chunks.push(chunk),
  );
  return { count, text: chunks.join('') };
}

describe('writeRecords', () => {
  it('writes a formula-safe CSV with a header row', async () => {
    expect(await written('csv')).toEqual({ count: 2, text: `A,B\r\n'=1,\r\n"x,y",2\r\n` });
  });

  it('writes a JSON array, one object per line, keys in column order, missing values null', async () => {
    const { text } = await written('json');
    expect(text).toBe('[\n{"A":"=1","B":null},\n{"A":"x,y","B":2}\n]\n');
    expect(JSON.parse(text)).toEqual([
      { A: '=1', B: null },
      { A: 'x,y', B: 2 },
    ]);
    expect(JSON.parse((await written('json', [])).text)).toEqual([]);
  });

  it('waits for the sink after each batch (backpressure)', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const done = writeRecords(
      COLUMNS,
      'csv',
      async (onRows) => {
        events.push('batch 1');
        await onRows(batches[0]);
        events.push('batch 2');
        await onRows(batches[1]);
        return 2;
      },
      (chunk) => {
        events.push(`write ${chunk.length}`);
        return chunk.startsWith("'=1") ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['write 5', 'batch 1', 'write 6']); // the second batch waits for the slow sink
    release();
    await done;
    expect(events.slice(3)).toEqual(['batch 2', 'write 9']);
  });
});
