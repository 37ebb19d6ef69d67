import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/env';

// `serve` rebuilds the Next app when its build does not match the source (docs/architecture.md §2.5): a hash of every
// file that goes into the build, written into .next after a successful `next build`.
const INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'generated',
  'next.config.ts',
  'proxy.ts',
  'postcss.config.mjs',
  'eslint.config.mjs',
  'package-lock.json',
  'tsconfig.json',
];
export const distDir = () => env('TORWATCH_DIST_DIR');
export const stampFile = () => path.join(distDir(), 'torwatch-build-stamp');

export function sourceHash(root = process.cwd()): string {
  const hash = createHash('sha256');
  const visit = (entry: string) => {
    const full = path.join(root, entry);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const name of readdirSync(full).sort()) {
        if (/\.(test|int\.test)\.tsx?$/.test(name) || name === '__fixtures__') continue;
        visit(path.join(entry, name));
      }
    } else {
      hash.update(entry).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  INPUTS.forEach(visit);
  hash.update(process.versions.node);
  return hash.digest('hex');
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const stamp = path.join(root, stampFile());
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sourceHash(root);
}
