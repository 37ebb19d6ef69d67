import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { dataDir } from '@/lib/db/dataDir';
import { env } from '@/lib/env';

// The key ring of the secret store. The current key seals; every key of the ring opens. The current key comes from
// TORWATCH_SECRET_KEY (32 bytes as base64 or hex), else from <data dir>/secret-key (generated once, mode 600).
// Older keys for reading during a rotation: TORWATCH_SECRET_KEY_PREVIOUS (comma-separated) and the files
// <data dir>/secret-key.<keyId>.old that `torwatch secrets rotate` leaves until every row is re-sealed.

export interface SecretKey {
  id: string;
  key: Buffer;
}

export class SecretKeyError extends Error {}

const KEY_FILE = 'secret-key';

export function secretKeyFile(): string {
  return path.join(dataDir(), KEY_FILE);
}

/** A key id that names a key without revealing it: the first 16 hex digits of a domain-separated SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('torwatch-secret-key\0').update(key).digest('hex').slice(0, 16);
}

/** 32 bytes from base64 (standard or url-safe) or 64 hex digits; anything else is refused with a reason. */
export function parseSecretKey(text: string, source: string): SecretKey {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-f]{64}$/i.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  if (!key || key.length !== 32)
    throw new SecretKeyError(
      `${source} must be 32 random bytes written as base64 or 64 hex digits (e.g. openssl rand -base64 32)`,
    );
  return { id: keyIdOf(key), key };
}

/** The sealing key: TORWATCH_SECRET_KEY, else the data directory's key file (created here when missing). */
export function currentSecretKey(log?: (line: string) => void): SecretKey {
  const fromEnv = env('TORWATCH_SECRET_KEY');
  if (fromEnv) return parseSecretKey(fromEnv, 'TORWATCH_SECRET_KEY');
  const file = secretKeyFile();
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      log?.(`generated the secret store key into ${file} (mode 600); set TORWATCH_SECRET_KEY to manage it yourself`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process wrote it first
    }
  }
  return parseSecretKey(readFileSync(file, 'utf8'), file);
}

/** Every key that may open a row: the current one first, then the previous ones. */
export function secretKeyRing(): SecretKey[] {
  const ring = [currentSecretKey()];
  for (const text of (env('TORWATCH_SECRET_KEY_PREVIOUS') ?? '').split(',')) {
    if (text.trim()) ring.push(parseSecretKey(text, 'TORWATCH_SECRET_KEY_PREVIOUS'));
  }
  const dir = dataDir();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (/^secret-key\.[0-9a-f]{16}\.old$/.test(name))
        ring.push(parseSecretKey(readFileSync(path.join(dir, name), 'utf8'), path.join(dir, name)));
    }
  }
  return ring;
}

/**
 * For `torwatch secrets rotate` with a generated key file: the old file becomes secret-key.<id>.old (still in the
 * ring) and a new key is written. Refused when TORWATCH_SECRET_KEY manages the key (rotate it there instead).
 */
export function replaceKeyFile(): { previous: SecretKey; next: SecretKey } {
  if (env('TORWATCH_SECRET_KEY'))
    throw new SecretKeyError(
      'TORWATCH_SECRET_KEY is set: put the new key there and the old one in TORWATCH_SECRET_KEY_PREVIOUS, then run torwatch secrets rotate',
    );
  const previous = currentSecretKey();
  const file = secretKeyFile();
  renameSync(file, path.join(dataDir(), `${KEY_FILE}.${previous.id}.old`));
  return { previous, next: currentSecretKey() };
}

/** Removes the .old key files once no row needs them. */
export function forgetOldKeyFiles(keep: Set<string>): string[] {
  const dir = dataDir();
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const match = /^secret-key\.([0-9a-f]{16})\.old$/.exec(name);
    if (match && !keep.has(match[1])) {
      rmSync(path.join(dir, name));
      removed.push(name);
    }
  }
  return removed;
}
