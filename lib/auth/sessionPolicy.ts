import { env } from '@/lib/env';

// Session lifetime (issue #14): a session slides (each use within 12 h keeps it alive, refreshed at most hourly) but
// never outlives TORWATCH_SESSION_MAX_DAYS (default 7) from sign-in: every refresh is capped at that absolute end,
// and sessionActor refuses (and deletes) an older session even if its row says otherwise.
export const SESSION_SLIDING_SECONDS = 60 * 60 * 12;
/** The header lib/auth/authRoute.ts sets to the client address for Better Auth (its rate limit, session rows). */
export const CLIENT_ADDRESS_HEADER = 'x-torwatch-client';

export function sessionMaxDays(): number {
  return env('TORWATCH_SESSION_MAX_DAYS');
}

export function absoluteSessionEnd(createdAt: Date): Date {
  return new Date(new Date(createdAt).getTime() + sessionMaxDays() * 24 * 60 * 60 * 1000);
}

export function sessionTooOld(createdAt: Date, now = new Date()): boolean {
  return absoluteSessionEnd(createdAt) <= now;
}

/** Better Auth's session update hook: a refreshed expiry never passes the session's absolute end. */
export function capSessionExpiry<T extends { expiresAt?: Date | string | null }>(
  data: T,
  session: { session?: { createdAt?: Date | string } } | null | undefined,
): T {
  const createdAt = session?.session?.createdAt;
  if (!data.expiresAt || !createdAt) return data;
  const end = absoluteSessionEnd(new Date(createdAt));
  return new Date(data.expiresAt) > end ? { ...data, expiresAt: end } : data;
}
