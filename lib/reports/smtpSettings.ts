import { readFileSync } from 'node:fs';
import { env } from '@/lib/env';
import { getPool } from '@/lib/db/pool';
import { getSecret } from '@/lib/secrets/secretStore';

// Where report e-mail goes out (issue 17): TORWATCH_SMTP_URL (`smtp[s]://[user:pass@]host:port`, for the command
// line and tests) or the admin's Settings (setting `report.smtp`, the password sealed in the secret store as
// `smtp:password`). smtps:// is TLS from the first byte; smtp:// upgrades with STARTTLS when the server offers it;
// the "starttls" setting insists on it. Certificates are verified (host name and chain) against the system's roots
// plus TORWATCH_SMTP_CA_FILE; TORWATCH_SMTP_TLS_VERIFY=off accepts any (docs/architecture.md §8.6.1).

export type SmtpSecurity = 'tls' | 'starttls' | 'opportunistic';

export interface SmtpConfig {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  password: string | null;
  from: string | null; // null: torwatch@<hostname>
  source: 'env' | 'settings';
  tls?: SmtpTlsPolicy; // default: verify against the system's roots
}

/** How the SMTP server's certificate is judged, whichever source the server came from. */
export interface SmtpTlsPolicy {
  ca: string | null; // PEM certificates trusted besides the system's roots
  verify: boolean; // false: any certificate (self-signed internal relays)
}

export interface StoredSmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  from: string | null;
}

export const SMTP_SETTING = 'report.smtp';
export const SMTP_PASSWORD_SECRET = 'smtp:password';

export class SmtpConfigError extends Error {}

/** Parses TORWATCH_SMTP_URL; errors name the variable and the part that is wrong (never the password). */
export function parseSmtpUrl(text: string, name = 'TORWATCH_SMTP_URL'): SmtpConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SmtpConfigError(`${name}: not a URL (smtp[s]://[user:pass@]host:port)`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new SmtpConfigError(`${name}: the scheme must be smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw new SmtpConfigError(`${name}: no host`);
  const tls = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : tls ? 465 : 587;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SmtpConfigError(`${name}: port out of range`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    security: tls ? 'tls' : 'opportunistic',
    user: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
    from: url.searchParams.get('from'),
    source: 'env',
  };
}

export async function loadStoredSmtpSettings(): Promise<StoredSmtpSettings | null> {
  const { rows } = await getPool().query<{ value: StoredSmtpSettings | null }>(
    `SELECT value FROM setting WHERE key = $1`,
    [SMTP_SETTING],
  );
  return rows[0]?.value ?? null;
}

/** TORWATCH_SMTP_CA_FILE and TORWATCH_SMTP_TLS_VERIFY; a CA file that cannot be read or holds no certificate is an error. */
export function loadSmtpTlsPolicy(): SmtpTlsPolicy {
  const file = env('TORWATCH_SMTP_CA_FILE');
  let ca: string | null = null;
  if (file) {
    try {
      ca = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SmtpConfigError(
        `TORWATCH_SMTP_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new SmtpConfigError(`TORWATCH_SMTP_CA_FILE: ${file} holds no PEM certificate`);
  }
  return { ca, verify: env('TORWATCH_SMTP_TLS_VERIFY') === 'on' };
}

/** The SMTP configuration in force: the environment's URL first, else Settings; null when neither is set. */
export async function loadSmtpConfig(): Promise<SmtpConfig | null> {
  const fromEnv = env('TORWATCH_SMTP_URL');
  if (fromEnv) return { ...parseSmtpUrl(fromEnv), tls: loadSmtpTlsPolicy() };
  const stored = await loadStoredSmtpSettings();
  if (!stored?.host) return null;
  return {
    ...stored,
    password: await getSecret(SMTP_PASSWORD_SECRET),
    source: 'settings',
    tls: loadSmtpTlsPolicy(),
  };
}
