import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceHash } from './buildStamp';

// `torwatch serve` rebuilds the web app when sourceHash differs from the build's stamp: every file that goes into
// the build must change it, and nothing else should.
let root = '';

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'torwatch-build-stamp-'));
  await mkdir(path.join(root, 'app'));
  await writeFile(path.join(root, 'app', 'page.tsx'), 'export default function Page() { return null; }');
  await writeFile(path.join(root, 'proxy.ts'), 'export function proxy() {}');
  await writeFile(path.join(root, 'next.config.ts'), 'export default {};');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sourceHash', () => {
  it.each(['app/page.tsx', 'proxy.ts', 'next.config.ts'])('changes when %s changes', async (file) => {
    const before = sourceHash(root);
    await writeFile(path.join(root, file), '// changed');
    expect(sourceHash(root)).not.toBe(before);
  });

  it('ignores tests and files outside the build', async () => {
    const before = sourceHash(root);
    await writeFile(path.join(root, 'app', 'page.test.ts'), 'test');
    await writeFile(path.join(root, 'README.md'), 'docs');
    expect(sourceHash(root)).toBe(before);
  });
});
