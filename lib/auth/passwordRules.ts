import { isCommonPassword } from './commonPasswords';

// Password rules (NIST SP 800-63B style): length over composition, and nothing from the 10,000 most common passwords
// (lib/auth/commonPasswords.ts), even dressed up with digits, symbols or leetspeak.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 5) return 'the password needs more different characters';
  const lower = password.toLowerCase();
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) return 'the password must not contain the e-mail name';
  if (isCommonPassword(password)) return 'the password is too common';
  return null;
}
