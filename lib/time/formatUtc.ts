/**
 * `2026-11-28 08:02:33 UTC` (or `2026-11-28 08:02 UTC` without seconds): the one way the UI writes a time in UTC,
 * unambiguous for operators. Takes an ISO string (any precision, as queries return them) or a Date; null is `—`.
 */
export function formatUtc(value: string | Date | null | undefined, options: { seconds?: boolean } = {}): string {
  if (value === null || value === undefined) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, options.seconds === false ? 16 : 19)} UTC`;
}
