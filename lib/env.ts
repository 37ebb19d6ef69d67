import { z } from 'zod';

// Every environment variable TorWatch reads, declared once: its parser, its default and what it does. Values are read
// when asked for (tests and `serve` set some at run time), an empty value counts as unset, and a bad value is an error
// naming the variable. README.md's configuration table is generated from this list (`npm run docs:env`); env.test.ts
// fails when code reads a TORWATCH_* variable that is not declared here or the table is out of date.
// bin/torwatch.mjs and scripts/test.mjs are plain JavaScript run before any TypeScript loads: they read their
// variables (TORWATCH_CLI, TORWATCH_DEBUG, TORWATCH_TEST_SKIP, TORWATCH_TEST_CITUS, TORWATCH_NODE_REEXEC,
// TORWATCH_POSTINSTALL_REFILL) directly, and are documented
// here all the same.

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
const days = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number of days between 1 and 36500' })
    .int('must be a whole number of days between 1 and 36500')
    .min(1, 'must be a whole number of days between 1 and 36500')
    .max(36500, 'must be a whole number of days between 1 and 36500')
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
  TORWATCH_DISTRIBUTED: declare(
    z.enum(['citus'], { error: 'must be "citus" or unset' }).optional(),
    '—',
    '`citus`: `DATABASE_URL` is a Citus coordinator; applying migrations also makes telemetry tables distributed by device (docs/scaling.md)',
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
  TORWATCH_EPISODE_GAP_HOURS: declare(
    z.coerce
      .number({ error: 'must be a number of hours above 0 and at most 8760' })
      .positive('must be a number of hours above 0 and at most 8760')
      .max(8760, 'must be a number of hours above 0 and at most 8760')
      .default(24),
    '`24`',
    'a gap longer than this between two hits of a device and process starts a new episode (after changing it, run `torwatch episodes --rebuild`)',
  ),
  TORWATCH_EVENT_RETENTION_DAYS: declare(
    days(90),
    '`90`',
    'raw network events are kept this many days: older month partitions are dropped (never DELETEd) once all their events are matched and none came in during the last 7 days (`torwatch retention`, README "Retention")',
  ),
  TORWATCH_SUMMARY_RETENTION_DAYS: declare(
    days(730),
    '`730` (2 years)',
    'hourly connection summaries — what a retro match consults beyond the raw window — are kept this many days',
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
    'comma-separated CIDRs, addresses or host names (`.corp.example` for a whole domain) that relay feeds and webhooks may reach although they are private or loopback (an internal mirror); tests and local development set `127.0.0.1/32` (see "Security")',
  ),
  TORWATCH_SMTP_URL: declare(
    text(),
    '—',
    '`smtp[s]://[user:pass@]host:port` for the report e-mail (`torwatch report send`, the schedule); overrides the SMTP settings on `/reports`',
  ),
  TORWATCH_SMTP_CA_FILE: declare(
    text(),
    '—',
    "a PEM file of CA certificates (or the relay's own self-signed certificate) the report e-mail trusts besides the system's roots, for an internal mail relay; the host name is still checked",
  ),
  TORWATCH_SMTP_TLS_VERIFY: declare(
    z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    '`on`',
    '`off` accepts any certificate from the SMTP server (self-signed internal relays; traffic stays encrypted but a man in the middle goes unnoticed) — prefer `TORWATCH_SMTP_CA_FILE`',
  ),
  TORWATCH_SECRET_KEY: declare(
    text(),
    'generated into `TORWATCH_DATA_DIR/secret-key` (mode 600)',
    'the key that seals stored secrets (webhook secrets, later connector and SMTP credentials): 32 random bytes as base64 or 64 hex digits (`openssl rand -base64 32`)',
  ),
  TORWATCH_SECRET_KEY_PREVIOUS: declare(
    text(),
    '—',
    'comma-separated earlier keys that may still open sealed secrets (during a rotation: `torwatch secrets rotate`)',
  ),
  TORWATCH_MAX_INFLATED_BYTES: declare(
    positive(20 * 1024 ** 3, 'bytes'),
    '`21474836480` (20 GiB)',
    'most bytes one gzip upload may decompress to; past it the batch is refused (413)',
  ),
  TORWATCH_MAX_INFLATION_RATIO: declare(
    positive(100, 'times'),
    '`100`',
    'most a gzip upload may grow when decompressed (real telemetry: 10–20×); past it the batch is refused (413)',
  ),
  TORWATCH_MAX_RECORD_BYTES: declare(
    positive(1024 ** 2, 'bytes'),
    '`1048576` (1 MiB)',
    'longest CSV row, Zeek line or JSON record (counted in characters); a longer one refuses the batch (413)',
  ),
  TORWATCH_MAX_HEADER_COLUMNS: declare(
    positive(512, 'columns'),
    '`512`',
    'widest CSV header or Zeek `#fields` line; a wider one refuses the batch (422)',
  ),
  TORWATCH_MAX_CONCURRENT_INGESTS: declare(
    z.coerce
      .number({ error: 'must be a positive whole number' })
      .int('must be a positive whole number')
      .positive('must be a positive whole number')
      .default(4),
    '`4`',
    'telemetry and relay uploads one server processes at once; more get 429 with `Retry-After`',
  ),
  TORWATCH_RELAY_DOCUMENTATION_ADDRESSES: declare(
    z.enum(['accept', 'reject'], { error: 'must be accept or reject' }).default('reject'),
    '`reject`',
    '`accept`: relay lists may list documentation-range addresses (the test suites set it for their fixtures; never needed in production)',
  ),
  TORWATCH_GRAPH_ROW_CAP: declare(
    positive(100_000, 'rows'),
    '`100000`',
    'graph-hunting connector: the row cap of one advanced-hunting answer (a window that reaches it is split); tests make it small',
  ),
  TORWATCH_GRAPH_CALLS_PER_MINUTE: declare(
    positive(45, 'calls'),
    '`45`',
    "graph-hunting connector: advanced-hunting calls per quota window and tenant, counted in the database across every process (Microsoft's quota: 45 a minute)",
  ),
  TORWATCH_GRAPH_QUOTA_WINDOW_MS: declare(
    positive(60_000, 'milliseconds'),
    '`60000`',
    'graph-hunting connector: the quota window (tests shorten it)',
  ),
  TORWATCH_GRAPH_DELAY_MINUTES: declare(
    z.coerce
      .number({ error: 'must be a number of minutes, 0 or more' })
      .min(0, 'must be a number of minutes, 0 or more')
      .default(10),
    '`10`',
    "graph-hunting connector: windows end this long before now (Defender's ingestion delay)",
  ),
  TORWATCH_GRAPH_RETRY_UNIT_MS: declare(
    positive(1000, 'milliseconds'),
    '`1000`',
    'graph-hunting connector: one second of Retry-After, in milliseconds (tests shorten it)',
  ),
  TORWATCH_TEST_CRASH: declare(
    text(),
    '—',
    'tests only: `<point>[@n]` SIGKILLs a connector run the n-th time it reaches before-batch, mid-copy, before-commit or after-commit',
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
  TORWATCH_DIST_DIR: declare(textOr('.next'), '`.next`', 'the Next.js build directory'),
  TORWATCH_DEBUG: declare(isSet, '—', 'set: the CLI prints stack traces and which ingest loader ran'),
  TORWATCH_CLI: declare(
    text(),
    '—',
    '`tsx`: `bin/torwatch.mjs` runs the TypeScript sources instead of the bundled CLI',
  ),
  TORWATCH_TEST_SKIP: declare(
    text(),
    '—',
    '`npm test` stages to skip, comma-separated: `typecheck,lint,vitest,e2e,citus`',
  ),
  TORWATCH_TEST_CITUS: declare(
    isSet,
    '—',
    '`1`: `npm test` also runs the opt-in `citus` stage (a real three-node Citus cluster from `shared/citus/cluster.sh`; root)',
  ),
  TORWATCH_TEST_CITUS_PORT: declare(
    textOr('9710'),
    '`9710`',
    "the `citus` stage's coordinator port (workers on the next two ports)",
  ),
  TORWATCH_CITUS_CLUSTER: declare(
    text(),
    '—',
    'the Citus harness `cluster.sh` for the `citus` stage and `npm run bench:citus` (default: `shared/citus/cluster.sh` in a folder above the repository)',
  ),
  TORWATCH_NODE_REEXEC: declare(
    isSet,
    '—',
    "internal: set by `bin/projectNode.mjs` on the process it re-runs under the project's Node (never re-run twice)",
  ),
  TORWATCH_POSTINSTALL_REFILL: declare(
    isSet,
    '—',
    'internal: set by `scripts/postinstall.mjs` on the `npm install` it runs to add native bindings npm skipped under an older Node (never run twice)',
  ),
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
