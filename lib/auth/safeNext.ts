/** Where to go after signing in: a local path only (never `//host` or a scheme), else the landing page (`/`, which picks one by role). */
export function safeNextPath(next: string | string[] | undefined | null): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\r\n]/.test(value))
    return '/';
  if (value.startsWith('/login') || value.startsWith('/setup')) return '/';
  return value;
}
