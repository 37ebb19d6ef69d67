import { getPrisma } from '@/lib/db/client';
import { env } from '@/lib/env';

// Sign-in throttling (issue #14), replacing the 15-minute account lock. Two limits, both claimed atomically BEFORE
// the password is checked, so parallel guesses cannot slip past a check that counts afterwards:
// - per client address: SIGN_IN_PER_ADDRESS attempts per minute (a fixed window from the first attempt);
// - per account (any e-mail, known or not, so the answer tells nobody which accounts exist): after FREE_FAILURES
//   failures in a row each attempt must wait a backoff that doubles per failure (1 s, 2 s, 4 s, … at most 1 h).
//   The claim counts the attempt as a failure in advance; a right password resets the count.
// A refused attempt never reaches the password check; the caller answers 429 with Retry-After.
export interface ThrottleSettings {
  perAddressPerMinute: number;
  freeFailures: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export function throttleSettings(): ThrottleSettings {
  return {
    perAddressPerMinute: env('TORWATCH_SIGNIN_PER_ADDRESS'),
    freeFailures: env('TORWATCH_SIGNIN_FREE_FAILURES'),
    backoffBaseMs: 1000,
    backoffMaxMs: 60 * 60 * 1000,
  };
}

export type Claim = { ok: true } | { ok: false; reason: 'address' | 'account'; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

/** The wait after `failures` failures in a row (0 while under the free count). */
export function backoffMs(failures: number, settings: ThrottleSettings): number {
  if (failures < settings.freeFailures) return 0;
  const doublings = Math.min(failures - settings.freeFailures, 40);
  return Math.min(settings.backoffBaseMs * 2 ** doublings, settings.backoffMaxMs);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** Claims one sign-in attempt for this address and e-mail, or says why and for how long it is refused. */
export async function claimSignIn(address: string, email: string, now = new Date()): Promise<Claim> {
  const settings = throttleSettings();
  const prisma = getPrisma();
  // Each limit is read and bumped under a transaction-scoped advisory lock on its key: parallel attempts queue.
  const byAddress = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`torwatch.signin.address:${address}`}))`;
    const row = await tx.signInAddress.findUnique({ where: { address } });
    const fresh = !row || row.windowStart.getTime() <= now.getTime() - WINDOW_MS;
    return tx.signInAddress.upsert({
      where: { address },
      create: { address, windowStart: now, attempts: 1 },
      update: fresh ? { windowStart: now, attempts: 1 } : { attempts: { increment: 1 } },
    });
  });
  if (byAddress.attempts > settings.perAddressPerMinute) {
    const waitMs = byAddress.windowStart.getTime() + WINDOW_MS - now.getTime();
    return { ok: false, reason: 'address', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  const key = normaliseEmail(email);
  return prisma.$transaction(async (tx): Promise<Claim> => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`torwatch.signin.account:${key}`}))`;
    const row = await tx.signInAccount.findUnique({ where: { email: key } });
    if (row?.blockedUntil && row.blockedUntil > now) {
      const waitMs = row.blockedUntil.getTime() - now.getTime();
      return { ok: false, reason: 'account', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    const failures = (row?.failures ?? 0) + 1;
    const wait = backoffMs(failures, settings);
    const blockedUntil = wait ? new Date(now.getTime() + wait) : null;
    await tx.signInAccount.upsert({
      where: { email: key },
      create: { email: key, failures, blockedUntil },
      update: { failures, blockedUntil },
    });
    return { ok: true };
  });
}

/**
 * A wrong password, answered: the backoff runs from now (the claim already set it from the attempt's start, but a
 * slow password check must not eat into the wait).
 */
export async function signInFailed(email: string, now = new Date()): Promise<void> {
  const key = normaliseEmail(email);
  const row = await getPrisma().signInAccount.findUnique({ where: { email: key } });
  const wait = row ? backoffMs(row.failures, throttleSettings()) : 0;
  if (!row || !wait) return;
  const until = new Date(now.getTime() + wait);
  await getPrisma().signInAccount.updateMany({
    where: { email: key, OR: [{ blockedUntil: null }, { blockedUntil: { lt: until } }] },
    data: { blockedUntil: until },
  });
}

/** A right password: the account starts again with a clean record. */
export async function signInSucceeded(email: string): Promise<void> {
  await getPrisma().signInAccount.deleteMany({ where: { email: normaliseEmail(email) } });
}

/** Admins' "unlock": forget an account's failures and backoff. */
export async function clearSignInFailures(email: string): Promise<void> {
  await signInSucceeded(email);
}

/** Backoff state per e-mail (Users page, `torwatch user list`). */
export async function signInStates(
  emails: string[],
): Promise<Map<string, { failures: number; blockedUntil: Date | null }>> {
  const rows = await getPrisma().signInAccount.findMany({ where: { email: { in: emails.map(normaliseEmail) } } });
  return new Map(rows.map((row) => [row.email, { failures: row.failures, blockedUntil: row.blockedUntil }]));
}

/** Drops rows that no longer limit anything (called now and then by sign-ins), so made-up e-mails do not pile up. */
export async function pruneSignInThrottle(now = new Date()): Promise<void> {
  const prisma = getPrisma();
  await prisma.signInAddress.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - WINDOW_MS) } } });
  await prisma.signInAccount.deleteMany({
    where: {
      updatedAt: { lt: new Date(now.getTime() - 24 * 60 * 60 * 1000) },
      OR: [{ blockedUntil: null }, { blockedUntil: { lt: now } }],
    },
  });
}
