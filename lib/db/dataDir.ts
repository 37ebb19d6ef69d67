import path from 'node:path';

/** TORWATCH_DATA_DIR (default ./.torwatch): the embedded database and generated secrets live here. */
export function dataDir(): string {
  return path.resolve(process.env.TORWATCH_DATA_DIR || '.torwatch');
}
