import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentSecretKey, parseSecretKey, replaceKeyFile, secretKeyRing } from './secretKey';
import { openSecret, sealSecret } from './secretStore';

const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'torwatch-secret-'));
  process.env.TORWATCH_DATA_DIR = dir;
  delete process.env.TORWATCH_SECRET_KEY;
  delete process.env.TORWATCH_SECRET_KEY_PREVIOUS;
});
afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

describe('the secret key', () => {
  it('is generated once into the data directory with mode 600', () => {
    const lines: string[] = [];
    const key = currentSecretKey((line) => lines.push(line));
    const file = path.join(dir, 'secret-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines[0]).toContain('generated the secret store key');
    expect(lines.join()).not.toContain(readFileSync(file, 'utf8').trim());
    expect(currentSecretKey().id).toBe(key.id);
    expect(key.key).toHaveLength(32);
  });

  it('comes from TORWATCH_SECRET_KEY as base64 or hex, and refuses anything that is not 32 bytes', () => {
    const hex = 'ab'.repeat(32);
    process.env.TORWATCH_SECRET_KEY = hex;
    expect(currentSecretKey().key.equals(Buffer.from(hex, 'hex'))).toBe(true);
    process.env.TORWATCH_SECRET_KEY = Buffer.from(hex, 'hex').toString('base64');
    expect(currentSecretKey().key.equals(Buffer.from(hex, 'hex'))).toBe(true);
    expect(() => parseSecretKey('too short', 'TORWATCH_SECRET_KEY')).toThrow(/32 random bytes/);
    expect(() => parseSecretKey(Buffer.alloc(16).toString('base64'), 'X')).toThrow(/32 random bytes/);
  });
});

describe('sealing', () => {
  it('encrypts with a fresh IV each time and opens only under the same name and key', () => {
    const a = sealSecret('webhook:1', 'hunter2');
    const b = sealSecret('webhook:1', 'hunter2');
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('hunter2');
    expect(openSecret('webhook:1', a)).toBe('hunter2');
    // A row copied under another name, or altered, does not open.
    expect(() => openSecret('webhook:2', a)).toThrow(/altered/);
    const flipped = { ...a, ciphertext: Buffer.from(a.ciphertext) };
    flipped.ciphertext[0] ^= 1;
    expect(() => openSecret('webhook:1', flipped)).toThrow(/altered/);
    expect(() => openSecret('webhook:1', a)).not.toThrow();
    // Errors name the secret, never the value.
    try {
      openSecret('webhook:1', flipped);
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('opens rows of a previous key after a rotation of the key file, and of TORWATCH_SECRET_KEY_PREVIOUS', () => {
    const old = sealSecret('smtp:password', 's3cret');
    const { previous, next } = replaceKeyFile();
    expect(previous.id).not.toBe(next.id);
    expect(secretKeyRing().map((k) => k.id)).toEqual([next.id, previous.id]);
    expect(openSecret('smtp:password', old)).toBe('s3cret');

    process.env.TORWATCH_SECRET_KEY = 'cd'.repeat(32);
    expect(() =>
      openSecret('smtp:password', sealSecret('smtp:password', 'x', next), secretKeyRing().slice(0, 1)),
    ).toThrow(/not configured/);
    process.env.TORWATCH_SECRET_KEY_PREVIOUS = next.key.toString('base64');
    expect(openSecret('smtp:password', sealSecret('smtp:password', 'x', next))).toBe('x');
  });
});
