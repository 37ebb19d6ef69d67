import { getPrisma } from '@/lib/db/client';

// Per-account lockout (issue #3): after MAX_FAILURES wrong passwords in a row the account is locked for
// LOCK_MINUTES; a successful sign-in resets the count. Works with Better Auth's per-IP rate limit.
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

/** The time an account stays locked until, or null when it may sign in. */
export async function lockedUntil(email: string, now = new Date()): Promise<Date | null> {
  const user = await getPrisma().user.findUnique({
    where: { email: email.toLowerCase() },
    select: { lockedUntil: true },
  });
  return user?.lockedUntil && user.lockedUntil > now ? user.lockedUntil : null;
}

/** Counts a failed sign-in; returns the lock time when this failure locked the account. */
export async function recordLoginFailure(email: string, now = new Date()): Promise<Date | null> {
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, lockedUntil: true },
  });
  if (!user) return null;
  // A lock that has run out starts a fresh count; the increment itself is atomic.
  if (user.lockedUntil && user.lockedUntil <= now)
    await prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
  const { failedLogins } = await prisma.user.update({
    where: { id: user.id },
    data: { failedLogins: { increment: 1 } },
    select: { failedLogins: true },
  });
  if (failedLogins < MAX_FAILURES) return null;
  const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
  await prisma.user.update({ where: { id: user.id }, data: { lockedUntil: until } });
  return until;
}

export async function recordLoginSuccess(userId: string): Promise<void> {
  await getPrisma().user.update({ where: { id: userId }, data: { failedLogins: 0, lockedUntil: null } });
}

export async function unlockUser(userId: string): Promise<void> {
  await recordLoginSuccess(userId);
}
