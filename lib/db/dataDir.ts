import path from 'node:path';
import { env } from '@/lib/env';

/** TORWATCH_DATA_DIR (default ./.torwatch): the embedded database and generated secrets live here. */
export function dataDir(): string {
  return path.resolve(env('TORWATCH_DATA_DIR'));
}
