import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPool } from '@/lib/db/pool';
import { resetDatabase, useTestDatabase } from '../../tests/integration';
import { connectorBatches, eventCount, runLine, torwatch, torwatchAsync } from './__tests__/connectorHarness';
import { networkRows, startGraphFake, type GraphFake, type Row } from './__tests__/graphFake';
import { makeCertificate } from './__tests__/testCertificate';

useTestDatabase();

const HOUR = 3600_000;
const TENANT = 'contoso.onmicrosoft.com';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const SECRET = 'the-client-secret';
const CAP = 200;
const ENV = {
  TORWATCH_GRAPH_ROW_CAP: String(CAP),
  TORWATCH_GRAPH_DELAY_MINUTES: '0',
  TORWATCH_GRAPH_RETRY_UNIT_MS: '20',
  TORWATCH_GRAPH_CALLS_PER_MINUTE: '1000',
};

let fake: GraphFake | null = null;
beforeEach(async () => {
  await resetDatabase();
});
afterEach(async () => {
  await fake?.stop();
  fake = null;
});

/** Rows in the look-back: a quiet month, a dense hour (more than the cap), a few rows 31 days old (not pulled). */
function dataset(now: number): { rows: Row[]; inLookBack: number } {
  const quiet = networkRows(now - 29 * 24 * HOUR, now - 2 * HOUR, 600, 1);
  const dense = networkRows(now - 2 * HOUR, now - HOUR, 3 * CAP + 17, 10_000);
  const old = networkRows(now - 31 * 24 * HOUR, now - 30.5 * 24 * HOUR, 5, 90_000);
  return { rows: [...old, ...quiet, ...dense], inLookBack: quiet.length + dense.length };
}

async function start(options: {
  network: Row[];
  tooMany?: number[];
  fail?: number[];
  secret?: string;
  certificates?: string[];
}) {
  fake = await startGraphFake({
    tenant: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    devices: [],
    cap: CAP,
    ...options,
  });
  return fake;
}

function add(name: string, secret: string, extra: string[] = []): void {
  const added = torwatch(
    [
      'connector',
      'add',
      'graph-hunting',
      '--name',
      name,
      '--tenant',
      TENANT,
      '--client-id',
      CLIENT,
      extra.includes('--client-certificate-stdin') ? '' : '--client-secret-stdin',
      '--authority-url',
      fake!.url,
      '--graph-url',
      fake!.url,
      ...extra,
    ].filter(Boolean),
    {},
    `${secret}\n`,
  );
  expect(added.stderr).toBe('');
  expect(added.status).toBe(0);
}

// Each test starts the CLI two to four times and pulls 30 days in windows: minutes on a loaded machine.
describe('graph-hunting connector (loopback fake of Entra and Graph)', { timeout: 180_000 }, () => {
  it('pulls 30 days in windows, splits a window whose answer reached the cap, waits out a 429, never truncates', async () => {
    const { rows, inLookBack } = dataset(Date.now());
    const graph = await start({ network: rows, tooMany: [3] });
    add('hunting', SECRET);
    const result = await torwatchAsync(['connector', 'run', 'hunting'], ENV);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(runLine(result.stdout, 'hunting')).toMatchObject({ inserted: String(inLookBack), duplicate: '0' });
    expect(await eventCount('defender')).toBe(inLookBack);
    // The first window starts 30 days back; the dense hour was asked again in smaller windows.
    const network = graph.calls.filter((c) => c.table === 'DeviceNetworkEvents' && c.status === 200);
    expect(Date.now() - Date.parse(network[0].from)).toBeGreaterThan(30 * 24 * HOUR - 60_000);
    expect(network.some((c) => c.rows === CAP)).toBe(true);
    expect(graph.calls.filter((c) => c.status === 429)).toHaveLength(1);
    // Nothing new: the next run asks only the time since.
    const again = await torwatchAsync(['connector', 'run', 'hunting'], ENV);
    expect(runLine(again.stdout, 'hunting')).toMatchObject({ inserted: '0', duplicate: '0' });
  });

  it('a 500 in the middle of a run keeps the windows before it; the next run carries on, nothing lost or doubled', async () => {
    const { rows, inLookBack } = dataset(Date.now());
    await start({ network: rows, fail: [15] });
    add('hunting', SECRET);
    const failed = await torwatchAsync(['connector', 'run', 'hunting'], ENV);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('runHuntingQuery: 500 InternalServerError: Something went wrong');
    const partial = await eventCount('defender');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(inLookBack);
    const { rows: state } = await getPool().query(`SELECT last_error, failures FROM connector WHERE name = 'hunting'`);
    expect(state[0]).toMatchObject({ failures: 1, last_error: expect.stringContaining('500') });
    const resumed = await torwatchAsync(['connector', 'run', 'hunting'], ENV);
    expect(resumed.status).toBe(0);
    expect(await eventCount('defender')).toBe(inLookBack);
    expect(await connectorBatches('hunting')).toMatchObject({ inserted: inLookBack, duplicate: 0 });
  });

  it('keeps the calls-per-minute quota', async () => {
    const { rows } = dataset(Date.now());
    const graph = await start({ network: rows });
    add('hunting', SECRET);
    const windowMs = 1500;
    const limit = 10;
    const result = await torwatchAsync(['connector', 'run', 'hunting'], {
      ...ENV,
      TORWATCH_GRAPH_CALLS_PER_MINUTE: String(limit),
      TORWATCH_GRAPH_QUOTA_WINDOW_MS: String(windowMs),
    });
    expect(result.status).toBe(0);
    const times = graph.calls.map((c) => c.at);
    expect(times.length).toBeGreaterThan(limit);
    // The fake notes when a call arrives, not when it was reserved: on a busy machine one call can arrive late
    // and the next on time, so allow 300 ms — a run without the quota sends its calls milliseconds apart.
    for (let i = limit; i < times.length; i++)
      expect(times[i] - times[i - limit]).toBeGreaterThanOrEqual(windowMs - 300);
  });

  it('authenticates with a certificate: a client assertion the token endpoint verifies against the registered certificate', async () => {
    const now = Date.now();
    const registered = makeCertificate('torwatch-graph');
    const unregistered = makeCertificate('not-on-the-app');
    const rows = networkRows(now - 3 * HOUR, now - HOUR, 40, 1);
    const graph = await start({ network: rows, certificates: [registered.certificate] });
    add('cert', registered.bundle, ['--client-certificate-stdin']);
    // The key is sealed in the secret store; the row keeps only the thumbprint and the expiry.
    const { rows: secrets } = await getPool().query(`SELECT name, ciphertext FROM secret`);
    expect(secrets.map((r) => r.name)).toEqual([expect.stringMatching(/^connector:\d+:client-certificate$/)]);
    const stored = JSON.stringify(secrets) + JSON.stringify((await getPool().query('SELECT * FROM connector')).rows);
    expect(stored).not.toContain('PRIVATE KEY');
    const listed = torwatch(['connector', 'list']);
    expect(listed.stdout).toMatch(/cert\tgraph-hunting\tnew\tevery=5m\t.*certificate=[0-9A-F]{40} expires=/);

    const result = await torwatchAsync(['connector', 'run', 'cert'], ENV);
    expect(result.stderr).toBe('');
    expect(runLine(result.stdout, 'cert')).toMatchObject({ inserted: '40' });
    expect(graph.tokenRequests).toEqual([{ credential: 'assertion', status: 200 }]);

    // A certificate the app does not know: one clear error, nothing pulled.
    add('stranger', unregistered.bundle, ['--client-certificate-stdin']);
    const refused = await torwatchAsync(['connector', 'run', 'stranger'], ENV);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^torwatch connector: stranger: token endpoint: 401 invalid_client: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application/,
    );
    expect(graph.tokenRequests.at(-1)).toEqual({ credential: 'assertion', status: 401 });
  });

  it('refuses a certificate without its key, or both a secret and a certificate (usage errors, nothing stored)', async () => {
    await start({ network: [] });
    const { certificate } = makeCertificate();
    const base = ['connector', 'add', 'graph-hunting', '--name', 'x', '--tenant', TENANT, '--client-id', CLIENT];
    const noKey = torwatch([...base, '--client-certificate-stdin'], {}, certificate);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('the PEM has no private key');
    const both = torwatch([...base, '--client-certificate-stdin', '--client-secret-stdin'], {}, certificate);
    expect(both.status).toBe(2);
    const { rows } = await getPool().query('SELECT count(*)::int AS n FROM connector');
    expect(rows[0].n).toBe(0);
  });

  it('keeps the tenant quota across processes: two runs at once on one tenant share the calls per minute', async () => {
    const now = Date.now();
    const graph = await start({ network: networkRows(now - 6 * HOUR, now - HOUR, 50, 1) });
    add('first', SECRET);
    add('second', SECRET);
    // Each run alone needs about 66 calls: at 12 per 2 s that is 11 s, long next to the skew of two CLI starts (and
    // the pair takes 22 s, not the 44 s of 6 per 2 s).
    const limit = 12;
    const windowMs = 2000;
    const env = {
      ...ENV,
      TORWATCH_GRAPH_CALLS_PER_MINUTE: String(limit),
      TORWATCH_GRAPH_QUOTA_WINDOW_MS: String(windowMs),
    };
    const [a, b] = await Promise.all([
      torwatchAsync(['connector', 'run', 'first'], env),
      torwatchAsync(['connector', 'run', 'second'], env),
    ]);
    expect([a.status, b.status, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const calls = [...graph.calls].sort((x, y) => x.at - y.at);
    // Both processes were calling during the same seconds (each has its own token)…
    const tokens = calls.map((c) => c.token);
    const first = tokens[0];
    const overlap = tokens.findIndex((t) => t !== first);
    expect(overlap).toBeGreaterThan(0);
    expect(tokens.slice(overlap).includes(first)).toBe(true);
    expect(calls.length).toBeGreaterThan(2 * limit);
    // …and together they never made more than `limit` calls in any window. The arrival of a call at the fake trails
    // its reservation by the request's trip, over 300 ms on a loaded machine: 800 ms of slack, still well above what
    // each process keeping its own count gives (`limit` calls of each in one window: gaps of about half the window),
    // and over the whole run the pace is one window per `limit` calls.
    for (let i = limit; i < calls.length; i++)
      expect(calls[i].at - calls[i - limit].at).toBeGreaterThanOrEqual(windowMs - 800);
    const span = calls.at(-1)!.at - calls[0].at;
    expect(span).toBeGreaterThanOrEqual((Math.floor(calls.length / limit) - 1) * windowMs - 1000);
  }, 240_000);

  it('a wrong client secret is one clear error', async () => {
    await start({ network: [] });
    add('hunting', 'not-the-secret');
    const result = await torwatchAsync(['connector', 'run', 'hunting'], ENV);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'torwatch connector: hunting: token endpoint: 401 invalid_client: AADSTS7000215: Invalid client secret provided.',
    );
  });

  it('--pushdown asks only for events towards addresses that were relays in the window asked', async () => {
    const now = Date.now();
    const relay = '203.0.113.9';
    const formerRelay = '203.0.113.10';
    const rows = networkRows(now - 6 * HOUR, now - HOUR, 300, 1, (i) =>
      i % 10 === 0 ? relay : i % 10 === 5 ? formerRelay : `198.51.100.${i % 200}`,
    );
    const graph = await start({ network: rows });
    await getPool().query(
      `INSERT INTO relay_address (fingerprint, ip, port, kind, valid_from, valid_to, first_snapshot_id, last_snapshot_id)
       VALUES ('AAAA', $1, 9001, 'or', $2, $3, 1, 1), ('BBBB', $4, 9001, 'or', $5, $6, 1, 1)`,
      [
        relay,
        new Date(now - 3 * HOUR),
        new Date(now),
        formerRelay,
        new Date(now - 12 * 24 * HOUR),
        new Date(now - 11 * 24 * HOUR),
      ],
    );
    add('pushdown', SECRET, ['--pushdown']);
    const result = await torwatchAsync(['connector', 'run', 'pushdown'], ENV);
    expect(result.status).toBe(0);
    const { rows: stored } = await getPool().query<{ ip: string; n: number }>(
      `SELECT host(remote_ip) AS ip, count(*)::int AS n FROM network_event GROUP BY 1`,
    );
    // The windows that cover the relay's hours ask for its address; the former relay's days are long before the events.
    expect(stored).toEqual([{ ip: relay, n: rows.filter((r) => r.RemoteIP === relay).length }]);
    const asked = graph.calls.filter((c) => c.table === 'DeviceNetworkEvents');
    expect(asked.length).toBeGreaterThan(0);
  });

  for (const point of ['before-commit@4', 'after-commit@3', 'mid-copy@1'])
    it(`killed at ${point}: the next run neither loses nor doubles an event`, async () => {
      const { rows, inLookBack } = dataset(Date.now());
      await start({ network: rows });
      add('hunting', SECRET);
      const crashed = await torwatchAsync(['connector', 'run', 'hunting'], { ...ENV, TORWATCH_TEST_CRASH: point });
      expect(crashed.signal).toBe('SIGKILL');
      expect((await torwatchAsync(['connector', 'run', 'hunting'], ENV)).status).toBe(0);
      expect(await eventCount('defender')).toBe(inLookBack);
      expect(await connectorBatches('hunting')).toMatchObject({ inserted: inLookBack, duplicate: 0 });
    });
});
