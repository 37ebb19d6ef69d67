/** `2026-11-28 08:02:33 UTC` — unambiguous times for operators. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
