import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getPrisma } from '@/lib/db/client';
import { dataDir } from '@/lib/db/dataDir';

// First run (as Jenkins does): with no user, `serve` prints a one-time setup token to its log and writes it to
// TORWATCH_DATA_DIR/setup-token (mode 600); /setup needs it to create the first admin. Only its hash is stored.
const SETTING_KEY = 'auth.setupTokenHash';

export function setupTokenFile(): string {
  return path.join(dataDir(), 'setup-token');
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Issues a fresh token (replacing any earlier one) when there is no user yet; returns it, or null. */
export async function issueSetupToken(): Promise<string | null> {
  const prisma = getPrisma();
  if ((await prisma.user.count()) > 0) {
    await prisma.setting.deleteMany({ where: { key: SETTING_KEY } });
    clearSetupToken();
    return null;
  }
  const token = randomBytes(24).toString('base64url');
  const value = { hash: sha256(token).toString('hex'), issuedAt: new Date().toISOString() };
  await prisma.setting.upsert({
    where: { key: SETTING_KEY },
    create: { key: SETTING_KEY, value, updatedBy: 'system' },
    update: { value, updatedBy: 'system' },
  });
  mkdirSync(dataDir(), { recursive: true });
  writeFileSync(setupTokenFile(), token + '\n', { mode: 0o600 });
  chmodSync(setupTokenFile(), 0o600);
  return token;
}

/** True when `token` is the current setup token and still no user exists. */
export async function checkSetupToken(token: string): Promise<boolean> {
  const prisma = getPrisma();
  if ((await prisma.user.count()) > 0) return false;
  const row = await prisma.setting.findUnique({ where: { key: SETTING_KEY } });
  const hash = (row?.value as { hash?: string } | null)?.hash;
  if (!hash || !token) return false;
  const expected = Buffer.from(hash, 'hex');
  const given = sha256(token.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function setupNeeded(): Promise<boolean> {
  return (await getPrisma().user.count()) === 0;
}

/** The token is spent once any user exists; the file goes (the hash stays harmless: checks need zero users). */
export function clearSetupToken(): void {
  rmSync(setupTokenFile(), { force: true });
}
