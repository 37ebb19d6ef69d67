import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '@/lib/db/dataDir';

// BETTER_AUTH_SECRET signs session cookies. From the environment; else generated once into the data directory
// (mode 600) so `npm start` needs nothing — and `serve` says so in its log.
export function secretFile(): string {
  return path.join(dataDir(), 'auth-secret');
}

export function authSecret(log?: (line: string) => void): string {
  const fromEnv = process.env.BETTER_AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('BETTER_AUTH_SECRET must be at least 32 characters');
    return fromEnv;
  }
  const file = secretFile();
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log?.(`generated BETTER_AUTH_SECRET into ${file} (mode 600); set BETTER_AUTH_SECRET to manage it yourself`);
  return readFileSync(file, 'utf8').trim();
}
