import { z } from 'zod';

// Every environment variable TorWatch reads, declared once: its parser, its default and what it does. Values are read
// when asked for (tests and `serve` set some at run time), an empty value counts as unset, and a bad value is an error
// naming the variable. README.md's configuration table is generated from this list (`npm run docs:env`); env.test.ts
// fails when code reads a TORWATCH_* variable that is not declared here or the table is out of date.
// bin/torwatch.mjs and scripts/test.mjs are plain JavaScript run before any TypeScript loads: they read their
// variables (TORWATCH_CLI, TORWATCH_DEBUG, TORWATCH_TEST_SKIP) directly, and are documented here all the same.

export class EnvError extends Error {}

interface Variable<T> {
  parse: z.ZodType<T>;
  default: string; // as the README shows it
  doc: string;
}

const declare = <T>(parse: z.ZodType<T>, defaultText: string, doc: string): Variable<T> => ({
  parse,
  default: defaultText,
  doc,
});
const text = () => z.string().optional();
const textOr = (fallback: string) => z.string().default(fallback);
const isSet = z
  .string()
  .optional()
  .transform((v) => v !== undefined);
const positive = (fallback: number, unit: string) =>
  z.coerce
    .number({ error: `must be a positive number of ${unit}` })
    .positive(`must be a positive number of ${unit}`)
    .default(fallback);
const url = z.url({ error: 'must be a URL (e.g. https://torwatch.example.org)' }).optional();

export const ENV = {
  DATABASE_URL: declare(
    text(),
    '—',
    'an external PostgreSQL (15+). Unset: embedded PostgreSQL 18 in `TORWATCH_DATA_DIR`',
  ),
  TORWATCH_DATA_DIR: declare(textOr('.torwatch'), '`./.torwatch`', 'embedded database, generated secrets'),
  PORT: declare(textOr('3000'), '`3000`', 'where `torwatch serve` listens (`--port`)'),
  HOST: declare(textOr('0.0.0.0'), '`0.0.0.0`', 'the address `torwatch serve` binds (`--host`)'),
  TORWATCH_WORKER: declare(
    z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    '`on`',
    '`off` runs the web server without the background worker',
  ),
  TORWATCH_OFFLINE: declare(
    isSet,
    '—',
    'set: relay feeds are never fetched from outside this machine (air-gapped sites, tests), and the worker neither fetches CollecTor `recent/` nor backfills archives; import lists and archives with `torwatch relays import`',
  ),
  TORWATCH_MATCH_GRACE_HOURS: declare(
    z.coerce
      .number({ error: 'must be a number of hours between 0 and 720' })
      .min(0, 'must be a number of hours between 0 and 720')
      .max(720, 'must be a number of hours between 0 and 720')
      .default(24),
    '`24`',
    'how far each relay-list interval (TorRelayIPs.csv, Onionoo, exit lists) is widened on both sides when matching',
  ),
  TORWATCH_CONSENSUS_GRACE_HOURS: declare(
    z.coerce
      .number({ error: 'must be a number of hours between 0 and 720' })
      .min(0, 'must be a number of hours between 0 and 720')
      .max(720, 'must be a number of hours between 0 and 720')
      .default(1),
    '`1`',
    "how far each consensus-history interval (hour-exact, from the Tor Project's CollecTor) is widened on both sides",
  ),
  TORWATCH_COLLECTOR_STALL_SECONDS: declare(
    positive(60, 'seconds'),
    '`60`',
    'a CollecTor download that sends nothing for this long is abandoned (no limit on the whole transfer)',
  ),
  TORWATCH_PUBLIC_URL: declare(
    url,
    '—',
    'the URL users open (e.g. `https://torwatch.example.org` behind a TLS reverse proxy): trusted origin, Secure cookies, HSTS, links in alerts',
  ),
  BETTER_AUTH_SECRET: declare(
    text(),
    'generated into `TORWATCH_DATA_DIR/auth-secret` (mode 600)',
    'signs session cookies; at least 32 characters',
  ),
  TORWATCH_FEED_TIMEOUT_SECONDS: declare(
    positive(120, 'seconds'),
    '`120`',
    'time limit for a whole relay-feed download',
  ),
  TORWATCH_FEED_MAX_MB: declare(
    positive(200, 'MB'),
    '`200`',
    'size cap on a relay-feed document (decoded), also the relay upload limit',
  ),
  TORWATCH_MAX_UPLOAD_BYTES: declare(
    z.coerce
      .number({ error: 'must be a positive whole number of bytes' })
      .int('must be a positive whole number of bytes')
      .positive('must be a positive whole number of bytes')
      .max(Number.MAX_SAFE_INTEGER)
      .default(2 * 1024 ** 3),
    '`2147483648` (2 GiB)',
    'largest telemetry upload (`POST /api/v1/ingest`, the Ingest page); larger is refused with 413',
  ),
  TORWATCH_WEBHOOK_TIMEOUT_MS: declare(
    positive(10_000, 'milliseconds'),
    '`10000`',
    'time limit for one webhook delivery attempt',
  ),
  TORWATCH_OUTBOUND_ALLOW: declare(
    text(),
    '—',
    'comma-separated CIDRs, addresses or host names that relay feeds and webhooks may reach although they are private or loopback (an internal mirror)',
  ),
  TORWATCH_SECRET_KEY: declare(
    text(),
    'generated into `TORWATCH_DATA_DIR/secret-key` (mode 600)',
    'the key that seals stored secrets (webhook secrets): 32 random bytes as base64 or 64 hex digits',
  ),
  TORWATCH_SECRET_KEY_PREVIOUS: declare(
    text(),
    '—',
    'comma-separated earlier keys that may still open sealed secrets (during a rotation)',
  ),
  TORWATCH_TRUSTED_PROXIES: declare(
    text(),
    '— (none, not even loopback)',
    'comma-separated addresses or CIDRs of reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (e.g. `127.0.0.1, 10.0.0.0/8`); see "Security"',
  ),
  TORWATCH_SIGNIN_PER_ADDRESS: declare(
    z.coerce
      .number({ error: 'must be a whole number ≥ 1' })
      .int('must be a whole number ≥ 1')
      .min(1, 'must be a whole number ≥ 1')
      .default(30),
    '`30`',
    'sign-in attempts per client address per minute; more are answered 429 with Retry-After',
  ),
  TORWATCH_SIGNIN_FREE_FAILURES: declare(
    z.coerce
      .number({ error: 'must be a whole number ≥ 1' })
      .int('must be a whole number ≥ 1')
      .min(1, 'must be a whole number ≥ 1')
      .default(5),
    '`5`',
    'sign-in failures in a row per account before each attempt waits a backoff doubling per failure (1 s … 1 h)',
  ),
  TORWATCH_SESSION_MAX_DAYS: declare(
    z.coerce
      .number({ error: 'must be a number of days between 0 and 365' })
      .positive('must be a number of days between 0 and 365')
      .max(365, 'must be a number of days between 0 and 365')
      .default(7),
    '`7`',
    'absolute session lifetime in days, however often the session is used (the idle limit stays 12 hours)',
  ),
  TORWATCH_PEER_SECRET: declare(
    text(),
    'made by `bin/web-server.mjs` at each start',
    'internal: authenticates the socket-address header the web server stamps on each request; do not set it',
  ),
  TORWATCH_DIST_DIR: declare(textOr('.next'), '`.next`', 'the Next.js build directory (the e2e servers use one each)'),
  TORWATCH_DEBUG: declare(isSet, '—', 'set: the CLI prints stack traces and which ingest loader ran'),
  TORWATCH_CLI: declare(
    text(),
    '—',
    '`tsx`: `bin/torwatch.mjs` runs the TypeScript sources instead of the bundled CLI',
  ),
  TORWATCH_TEST_SKIP: declare(text(), '—', '`npm test` stages to skip, comma-separated: `typecheck,lint,vitest,e2e`'),
} as const;

export type EnvName = keyof typeof ENV;
type ValueOf<N extends EnvName> = (typeof ENV)[N] extends Variable<infer T> ? T : never;

/** The variable's value, parsed, or its default. Throws EnvError naming the variable when the value is bad. */
export function env<N extends EnvName>(name: N): ValueOf<N> {
  const raw = process.env[name];
  const parsed = (ENV[name].parse as z.ZodType<ValueOf<N>>).safeParse(raw === '' ? undefined : raw);
  if (!parsed.success) throw new EnvError(`${name} ${parsed.error.issues[0].message}, got "${raw}"`);
  return parsed.data;
}

/** The README's configuration table, generated from ENV. */
export function envTable(): string {
  const rows = Object.entries(ENV).map(([name, v]) => `| \`${name}\` | ${v.default} | ${v.doc} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
