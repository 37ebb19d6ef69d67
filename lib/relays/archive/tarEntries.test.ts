import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveError, tarEntries } from './tarEntries';

async function* chunked(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Buffer, size: number, skip = new Set<string>()) {
  const out: Array<[string, string]> = [];
  for await (const entry of tarEntries(chunked(bytes, size))) {
    if (!entry.isFile || skip.has(path.basename(entry.name))) continue;
    const parts: Buffer[] = [];
    for await (const chunk of entry.body) parts.push(chunk);
    out.push([entry.name, Buffer.concat(parts).toString()]);
  }
  return out;
}

describe('tarEntries', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-tar-'));
  const long = `${'d'.repeat(120)}/2026-06-01-00-00-00-consensus`;
  mkdirSync(path.join(dir, 'm', 'd'.repeat(120)), { recursive: true });
  writeFileSync(path.join(dir, 'm/a'), 'alpha\n'.repeat(200));
  writeFileSync(path.join(dir, 'm/b'), '');
  writeFileSync(path.join(dir, 'm', long), 'long name\n');
  execFileSync('tar', ['-cf', path.join(dir, 'x.tar'), '-C', path.join(dir, 'm'), '.']);
  const tar = readFileSync(path.join(dir, 'x.tar'));

  it('streams every file with its name (GNU long names too), whatever the chunk size, skipped or read', async () => {
    for (const size of [1, 100, 512, 70_000]) {
      const files = (await read(tar, size)).sort();
      expect(files).toEqual(
        [
          ['./a', 'alpha\n'.repeat(200)],
          ['./b', ''],
          [`./${long}`, 'long name\n'],
        ].sort(),
      );
      expect((await read(tar, size, new Set(['a']))).map(([name]) => name).sort()).toEqual(['./b', `./${long}`].sort());
    }
  });

  it('says a cut archive is truncated, and refuses what is not a tar', async () => {
    await expect(read(tar.subarray(0, 1000), 300)).rejects.toThrow(/truncated/);
    await expect(read(Buffer.from('<html>'.repeat(200)), 512)).rejects.toBeInstanceOf(ArchiveError);
  });
});
