import { getPool } from '@/lib/db/pool';
import { env } from '@/lib/env';
import { reserveCall } from './apiQuota';
import {
  CLIENT_ASSERTION_TYPE,
  clientAssertion,
  parseClientCertificate,
  type ClientCertificate,
} from './clientAssertion';
import { loadCursors } from './connectorStore';
import { ingestPiece } from './ingestPiece';
import { connectorFetch } from './outbound';
import { getSecret, secretName } from './secrets';
import { ConnectorError, type Connector, type GraphHuntingConfig, type RunTotals } from './types';

// Microsoft Graph advanced hunting (POST /v1.0/security/runHuntingQuery; the Defender `advancedhunting/run` API is
// being retired). Client credentials against the Entra token endpoint; then time windows of DeviceNetworkEvents and
// DeviceInfo, oldest first, each loaded as one batch whose cursor (`window` = { end }) commits with it:
// - windows start at WINDOW_MINUTES; an answer that reaches the row cap (100,000) may be cut, so the window is split
//   in two and asked again — never kept truncated; after a window that fits, the size grows back;
// - 429: wait Retry-After (or a backoff) and ask again; the tenant's quota of 45 calls a minute is kept here;
// - look-back: advanced hunting keeps 30 days, so a new connector starts 30 days back; windows end TORWATCH_GRAPH_DELAY_MINUTES (10)
//   before now (Defender's own ingestion delay), so a window is asked once, complete;
// - any other error (a 500) ends the run: the windows before it are committed, the next run carries on.
// Each result row becomes a Streaming API record (`{category, properties}`), so the Defender stream parser maps it.

export const LOOKBACK_DAYS = 30;
const WINDOW_MINUTES = 60;
const MAX_WINDOW_MINUTES = 24 * 60;
const MIN_WINDOW_MS = 1000;
const MAX_429_RETRIES = 8;

/** Knobs the tests shrink (environment, read per run; lib/env.ts). */
function limits() {
  return {
    rowCap: env('TORWATCH_GRAPH_ROW_CAP'),
    callsPerMinute: env('TORWATCH_GRAPH_CALLS_PER_MINUTE'),
    delayMs: env('TORWATCH_GRAPH_DELAY_MINUTES') * 60_000,
    retryUnitMs: env('TORWATCH_GRAPH_RETRY_UNIT_MS'),
    quotaWindowMs: env('TORWATCH_GRAPH_QUOTA_WINDOW_MS'),
  };
}

const NETWORK_COLUMNS =
  'Timestamp, DeviceId, DeviceName, ActionType, RemoteIP, RemotePort, RemoteUrl, LocalIP, LocalPort, Protocol, ' +
  'InitiatingProcessFileName, InitiatingProcessFolderPath, InitiatingProcessSHA256, InitiatingProcessCommandLine, ' +
  'InitiatingProcessAccountName, InitiatingProcessId, ReportId';
const DEVICE_COLUMNS = 'Timestamp, DeviceId, DeviceName, PublicIP, OSPlatform, OSVersion, MachineGroup, ReportId';

interface HuntingAnswer {
  schema: { name: string; type: string }[];
  results: Record<string, unknown>[];
}

export async function pullGraphHunting(connector: Connector, totals: RunTotals): Promise<void> {
  const config = connector.config as GraphHuntingConfig;
  const knobs = limits();
  const graph = new GraphClient(config, await credentialOf(connector.id, config), knobs);
  const cursors = await loadCursors(connector.id);
  const now = Date.now();
  const stop = now - knobs.delayMs;
  const floor = now - LOOKBACK_DAYS * 86_400_000;
  const saved = cursors.get('window') as { end: string } | undefined;
  let start = Math.max(saved ? Date.parse(saved.end) : floor, floor);
  let size = WINDOW_MINUTES * 60_000;
  while (start < stop) {
    const end = Math.min(start + size, stop);
    const where = `Timestamp >= datetime(${iso(start)}) and Timestamp < datetime(${iso(end)})`;
    const relays = config.pushdown ? await relayAddresses(start, end) : null;
    const remote = relays ? `| where RemoteIP in (${relays.map((ip) => `"${ip}"`).join(', ')}) ` : '';
    const network =
      relays && relays.length === 0
        ? { schema: [], results: [] }
        : await graph.hunt(`DeviceNetworkEvents | where ${where} ${remote}| project ${NETWORK_COLUMNS}`);
    const full = (answer: HuntingAnswer) => answer.results.length >= knobs.rowCap;
    let devices: HuntingAnswer = { schema: [], results: [] };
    if (!full(network)) devices = await graph.hunt(`DeviceInfo | where ${where} | project ${DEVICE_COLUMNS}`);
    if (full(network) || full(devices)) {
      // The answer may be cut at the cap: ask again for each half of the window.
      if (end - start <= MIN_WINDOW_MS)
        throw new ConnectorError(`more than ${knobs.rowCap} rows in one second at ${iso(start)}: cannot split further`);
      size = Math.max(MIN_WINDOW_MS, Math.floor((end - start) / 2));
      continue;
    }
    const window = `graph:${iso(start)}/${iso(end)}`;
    await ingestPiece(
      connector,
      {
        file: window,
        source: 'defender-stream',
        input: asRecords(network.results, devices.results),
        cursor: () => ({ set: { window: { end: iso(end) } } }),
      },
      totals,
    );
    start = end;
    size = Math.min(size * 2, MAX_WINDOW_MINUTES * 60_000);
  }
}

type Credential = { secret: string } | { certificate: ClientCertificate };

/** The client secret, or the certificate and its key (§6.5.1), from the secret store. */
async function credentialOf(connectorId: number, config: GraphHuntingConfig): Promise<Credential> {
  if (config.credential === 'certificate') {
    const pem = await getSecret(secretName(connectorId, 'client-certificate'));
    if (!pem) throw new ConnectorError('the client certificate is missing from the secret store');
    try {
      return { certificate: parseClientCertificate(pem) };
    } catch (error) {
      throw new ConnectorError(`the stored client certificate: ${(error as Error).message}`);
    }
  }
  const secret = await getSecret(secretName(connectorId, 'client-secret'));
  if (!secret) throw new ConnectorError('the client secret is missing from the secret store');
  return { secret };
}

/** Result rows as Streaming API records, one JSON line each. */
async function* asRecords(
  network: Record<string, unknown>[],
  devices: Record<string, unknown>[],
): AsyncGenerator<Buffer> {
  let text = '';
  for (const [rows, category] of [
    [network, 'AdvancedHunting-DeviceNetworkEvents'],
    [devices, 'AdvancedHunting-DeviceInfo'],
  ] as const) {
    for (const row of rows) {
      text += JSON.stringify({ time: row.Timestamp, category, properties: row }) + '\n';
      if (text.length > 256 * 1024) {
        yield Buffer.from(text);
        text = '';
      }
    }
  }
  if (text) yield Buffer.from(text);
}

/** Relay addresses valid at some time in [start, end) (pushdown). */
async function relayAddresses(start: number, end: number): Promise<string[]> {
  const { rows } = await getPool().query<{ ip: string }>(
    `SELECT DISTINCT host(ip) AS ip FROM relay_address WHERE valid_from < $2 AND valid_to >= $1`,
    [new Date(start), new Date(end)],
  );
  return rows.map((r) => r.ip);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

class GraphClient {
  private token: { value: string; expires: number } | null = null;

  constructor(
    private readonly config: GraphHuntingConfig,
    private readonly credential: Credential,
    private readonly knobs: ReturnType<typeof limits>,
  ) {}

  async hunt(query: string): Promise<HuntingAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      // The tenant's quota, shared with every other process calling for this tenant (apiQuota.ts).
      await reserveCall(
        `graph:${this.config.tenant.toLowerCase()}`,
        this.knobs.callsPerMinute,
        this.knobs.quotaWindowMs,
      );
      const response = await this.post(`${this.config.graphUrl}/v1.0/security/runHuntingQuery`, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Query: query }),
      });
      if (response.status === 429 && attempt < MAX_429_RETRIES) {
        await response.body?.cancel();
        await sleep(retryAfter(response.headers.get('retry-after'), attempt, this.knobs.retryUnitMs));
        continue;
      }
      if (response.status === 401) this.token = null;
      if (!response.ok) throw new ConnectorError(`runHuntingQuery: ${await httpError(response)}`);
      const answer = (await response.json()) as Partial<HuntingAnswer>;
      if (!Array.isArray(answer.results)) throw new ConnectorError('runHuntingQuery: the answer has no results array');
      return { schema: answer.schema ?? [], results: answer.results };
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expires > Date.now() + 60_000) return this.token.value;
    const tokenUrl = `${this.config.authorityUrl}/${encodeURIComponent(this.config.tenant)}/oauth2/v2.0/token`;
    const proof: Record<string, string> =
      'secret' in this.credential
        ? { client_secret: this.credential.secret }
        : {
            client_assertion_type: CLIENT_ASSERTION_TYPE,
            client_assertion: clientAssertion(this.credential.certificate, this.config.clientId, tokenUrl),
          };
    const response = await this.post(tokenUrl, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: this.config.clientId,
        ...proof,
        scope: `${new URL(this.config.graphUrl).origin}/.default`,
        grant_type: 'client_credentials',
      }).toString(),
    });
    if (!response.ok) throw new ConnectorError(`token endpoint: ${await httpError(response)}`);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new ConnectorError('token endpoint: the answer has no access_token');
    this.token = { value: body.access_token, expires: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return this.token.value;
  }

  private async post(url: string, init: { headers: Record<string, string>; body: string }): Promise<Response> {
    try {
      return await connectorFetch(url, { method: 'POST', ...init, signal: AbortSignal.timeout(300_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const host = new URL(url).host;
      if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
        throw new ConnectorError(`DNS lookup failed for ${host}`);
      throw new ConnectorError(`${host}: ${cause?.message ?? (error as Error).message}`);
    }
  }
}

function retryAfter(header: string | null, attempt: number, unitMs: number): number {
  const seconds = header === null ? NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 300) * unitMs;
  const date = header === null ? NaN : Date.parse(header);
  if (Number.isFinite(date)) return Math.min(Math.max(0, date - Date.now()), 300_000);
  return Math.min(2 ** attempt, 60) * unitMs;
}

/** `401 invalid_client: AADSTS7000215: Invalid client secret provided.` — status and the service's own words. */
async function httpError(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as {
      error?: string | { code?: string; message?: string };
      error_description?: string;
    };
    if (typeof body.error === 'string') detail = `${body.error}: ${(body.error_description ?? '').split('\n')[0]}`;
    else if (body.error) detail = `${body.error.code ?? ''}: ${body.error.message ?? ''}`;
  } catch {
    // not JSON: the text as is
  }
  return `${response.status} ${detail}`.trim();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
