import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The checkout's root directory: the nearest ancestor of this module that holds prisma/schema.prisma. A fixed
 * `../..` would be wrong once the CLI runs from its bundle under node_modules/.cache (bin/cliBundle.mjs).
 */
export function projectRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`cannot find the TorWatch checkout (prisma/schema.prisma) above ${from}`);
  }
}
