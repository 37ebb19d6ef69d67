import { describe, expect, it } from 'vitest';
import { JsonRecordScanner } from './jsonRecordScanner';

function scan(text: string, pieceSize = 3) {
  const records: Array<[unknown, number]> = [];
  const bad: Array<[number, string]> = [];
  const scanner = new JsonRecordScanner(
    (json, line) => records.push([JSON.parse(json), line]),
    (line, reason) => bad.push([line, reason]),
  );
  for (let i = 0; i < text.length; i += pieceSize) scanner.push(text.slice(i, i + pieceSize));
  scanner.end();
  return { records, bad };
}

describe('JsonRecordScanner', () => {
  it('finds JSON-lines records across chunk boundaries, with their line numbers', () => {
    expect(scan('{"a":1}\n{"b":"x\\"}"}\n').records).toEqual([
      [{ a: 1 }, 1],
      [{ b: 'x"}' }, 2],
    ]);
  });

  it('streams the elements of a `records` envelope, pretty-printed or not', () => {
    const pretty = '{\n  "records": [\n    {"a": 1},\n    {"a": 2}\n  ]\n}\n';
    expect(scan(pretty).records.map(([record]) => record)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(scan('{"records":[{"a":1},{"a":2}]}\n', 5).records.map(([record]) => record)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reports a record left open at the end of the input', () => {
    expect(scan('{"a":1}\n{"b":').bad).toEqual([[2, 'JSON not closed at the end of the file']]);
  });
});
