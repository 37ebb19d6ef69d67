// Password rules (NIST SP 800-63B style): length over composition, no obvious choices.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON = [
  'password',
  '123456',
  'qwerty',
  'letmein',
  'welcome',
  'torwatch',
  'admin',
  'iloveyou',
  'changeme',
  'secret',
];

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 5) return 'the password needs more different characters';
  const lower = password.toLowerCase();
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) return 'the password must not contain the e-mail name';
  if (COMMON.some((word) => lower.replace(/[^a-z0-9]/g, '').startsWith(word) && lower.length < word.length + 6))
    return 'the password is too common';
  return null;
}
