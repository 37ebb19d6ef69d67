import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkClientAssertion } from './entraAssertion';

// A loopback fake of the Entra token endpoint (POST /{tenant}/oauth2/v2.0/token) and Microsoft Graph's
// POST /v1.0/security/runHuntingQuery, answering with the documented shapes ({ schema, results }). It reads the KQL the
// connector sends only as far as the connector writes it: the table, the Timestamp bounds and a `RemoteIP in (…)`.
// Like the service, it returns at most `cap` rows (cut, without saying so); it can answer 429 or 500 at given calls.

export type Row = Record<string, string | number | null>;

export interface GraphFakeOptions {
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** Certificates registered on the app (PEM, public part): a client assertion signed by one of their keys is good. */
  certificates?: string[];
  network: Row[];
  devices: Row[];
  cap: number;
  /** Query calls (1-based) answered 429 with Retry-After: 1. */
  tooMany?: number[];
  /** Query calls (1-based) answered 500. */
  fail?: number[];
}

export interface GraphFake {
  url: string;
  /** Every query call: when, the window asked, the rows returned, the status. */
  calls: { at: number; status: number; table: string; from: string; to: string; rows: number; token: string }[];
  /** Every token request: how the client authenticated and the answer's status. */
  tokenRequests: { credential: 'secret' | 'assertion' | 'none'; status: number }[];
  options: GraphFakeOptions;
  stop(): Promise<void>;
}

const NETWORK_SCHEMA = [
  ['Timestamp', 'DateTime'],
  ['DeviceId', 'String'],
  ['DeviceName', 'String'],
  ['ActionType', 'String'],
  ['RemoteIP', 'String'],
  ['RemotePort', 'Int32'],
  ['LocalIP', 'String'],
  ['LocalPort', 'Int32'],
  ['Protocol', 'String'],
  ['InitiatingProcessFileName', 'String'],
  ['ReportId', 'Int64'],
];

export async function startGraphFake(options: GraphFakeOptions): Promise<GraphFake> {
  const calls: GraphFake['calls'] = [];
  const tokens = new Set<string>();
  const tokenRequests: GraphFake['tokenRequests'] = [];
  const seenAssertions = new Set<string>();
  let queryCalls = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'POST' && url.pathname === `/${options.tenant}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
      const assertion = form.get('client_assertion');
      const entry: GraphFake['tokenRequests'][number] = {
        credential: assertion ? 'assertion' : form.has('client_secret') ? 'secret' : 'none',
        status: 401,
      };
      tokenRequests.push(entry);
      const refuse = (description: string) =>
        send(401, { error: 'invalid_client', error_description: `${description}\r\nTrace ID: 0` });
      if (form.get('client_id') !== options.clientId)
        return refuse(`AADSTS700016: Application with identifier '${form.get('client_id')}' was not found.`);
      if (assertion) {
        if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
          return refuse('AADSTS50027: client_assertion_type is not jwt-bearer.');
        const problem = checkClientAssertion(assertion, {
          certificates: options.certificates ?? [],
          clientId: options.clientId,
          audience: `http://127.0.0.1:${port}/${options.tenant}/oauth2/v2.0/token`,
          seen: seenAssertions,
        });
        if (problem) return refuse(problem);
      } else if (form.get('client_secret') !== options.clientSecret)
        return refuse('AADSTS7000215: Invalid client secret provided.');
      entry.status = 200;
      const token = `token-${tokens.size + 1}`;
      tokens.add(token);
      return send(200, { token_type: 'Bearer', expires_in: 3599, access_token: token });
    }
    if (req.method === 'POST' && url.pathname === '/v1.0/security/runHuntingQuery') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tokens.has(token))
        return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
      queryCalls++;
      const query = String((JSON.parse(body) as { Query?: string }).Query ?? '');
      const table = /^(\w+)/.exec(query)?.[1] ?? '';
      const [, from, to] = /Timestamp >= datetime\(([^)]+)\) and Timestamp < datetime\(([^)]+)\)/.exec(query) ?? [];
      const call = { at: Date.now(), status: 200, table, from, to, rows: 0, token };
      calls.push(call);
      if (options.tooMany?.includes(queryCalls)) {
        call.status = 429;
        return send(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': '1' });
      }
      if (options.fail?.includes(queryCalls)) {
        call.status = 500;
        return send(500, { error: { code: 'InternalServerError', message: 'Something went wrong' } });
      }
      const ips = /RemoteIP in \(([^)]*)\)/.exec(query)?.[1];
      const wanted = ips === undefined ? null : new Set([...ips.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
      const [low, high] = [Date.parse(from), Date.parse(to)];
      const rows = (table === 'DeviceInfo' ? options.devices : options.network).filter(
        (row) =>
          Date.parse(String(row.Timestamp)) >= low &&
          Date.parse(String(row.Timestamp)) < high &&
          (wanted === null || wanted.has(String(row.RemoteIP))),
      );
      const results = rows.slice(0, options.cap);
      call.rows = results.length;
      return send(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults',
        schema: NETWORK_SCHEMA.map(([name, type]) => ({ name, type })),
        results,
      });
    }
    send(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
  });
  let port = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ({ port } = server.address() as AddressInfo);
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    tokenRequests,
    options,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function read(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** `count` DeviceNetworkEvents rows between `from` and `to` (ms), evenly spread; ReportId from `firstId`. */
export function networkRows(
  from: number,
  to: number,
  count: number,
  firstId: number,
  remoteIp?: (i: number) => string,
): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const ts = new Date(from + Math.floor(((to - from) * i) / count)).toISOString();
    rows.push({
      Timestamp: ts,
      DeviceId: `graphdev${i % 13}`,
      DeviceName: `host-${i % 13}`,
      ActionType: 'ConnectionSuccess',
      RemoteIP: remoteIp ? remoteIp(i) : `198.51.100.${i % 200}`,
      RemotePort: 443,
      LocalIP: '10.9.0.1',
      LocalPort: 50000 + (i % 1000),
      Protocol: 'Tcp',
      InitiatingProcessFileName: 'chrome.exe',
      ReportId: firstId + i,
    });
  }
  return rows.sort((a, b) => String(a.Timestamp).localeCompare(String(b.Timestamp)));
}
