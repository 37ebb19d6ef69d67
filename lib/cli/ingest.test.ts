import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import { parseIngestArgs } from './ingest';
import { progressLine } from './progressBar';

describe('torwatch ingest arguments', () => {
  it('takes files, --source in both spellings and --strict', () => {
    expect(parseIngestArgs(['a.csv', 'b.log.gz', '--source', 'zeek-conn', '--strict'])).toEqual({
      files: ['a.csv', 'b.log.gz'],
      source: 'zeek-conn',
      strict: true,
    });
    expect(parseIngestArgs(['--source=defender-stream', 'x.json'])).toMatchObject({
      source: 'defender-stream',
      strict: false,
    });
    expect(parseIngestArgs(['x.csv']).source).toBe('auto');
  });

  it('refuses no file, an unknown source and an unknown option as usage errors', () => {
    expect(() => parseIngestArgs([])).toThrow(UsageError);
    expect(() => parseIngestArgs(['x.csv', '--source', 'splunk'])).toThrow(/--source must be one of/);
    expect(() => parseIngestArgs(['x.csv', '--fast'])).toThrow(UsageError);
  });
});

describe('progressLine', () => {
  it('shows the share done, sizes, rows and rate, cut to the terminal', () => {
    const line = progressLine('big.csv', 5e6, 10e6, 12345, 2, 200);
    expect(line).toContain(' 50%');
    expect(line).toContain('5.0/10.0 MB');
    expect(line).toContain('12,345 rows');
    expect(line).toContain('6,173 rows/s');
    expect(progressLine('big.csv', 5e6, 10e6, 12345, 2, 30)).toHaveLength(29);
  });
});
