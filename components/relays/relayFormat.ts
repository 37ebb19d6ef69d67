import { countryName } from '@/components/hits/countryName';

/** `5.2 h` under two days, else `3.4 d`. */
export function formatAge(hours: number): string {
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

/** `NL · Netherlands`, or an em dash. */
export function formatCountry(code: string | null): string {
  return code ? `${code.toUpperCase()} · ${countryName(code)}` : '—';
}

/** `1.2.3.4:9001`, `[2001:db8::1]:443`, or the bare address when there is no port (exit addresses). */
export function formatAddress(ip: string, port: number): string {
  if (!port) return ip;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export const KIND_LABEL: Record<string, string> = { or: 'ORPort', exit: 'exit', dir: 'DirPort' };

export const TABLE =
  'overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900';
export const THEAD = 'border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800';
export const ROW = 'border-b border-slate-100 last:border-0 align-top dark:border-slate-800';
export const INPUT =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';
export const BUTTON =
  'rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-50';
