import { parseArgs } from 'node:util';
import { CommandError, UsageError } from './errors';
import { readPasswordLine } from './readPassword';
import { withDatabase } from './withDatabase';

export const usage = [
  'torwatch connector add defender-storage --name N (--connection-string CS | --sas-url URL) [--containers a,b]',
  '       torwatch connector add graph-hunting --name N --tenant T --client-id C (--client-secret-stdin | --client-certificate-stdin) [--authority-url URL] [--graph-url URL] [--pushdown]',
  '       torwatch connector add zeek-folder --name N --path DIR',
  '       torwatch connector list | pause N | resume N | remove N | run N',
  '       torwatch connector interval N MINUTES   (1 to 1440)',
  '       torwatch connector credential N (--connection-string-stdin | --sas-url-stdin | --client-secret-stdin | --client-certificate-stdin)',
].join('\n');

/** `torwatch connector …`: exit 0 done, 1 not done, 2 usage. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    console.log(`usage: ${usage}`);
    return 0;
  }
  switch (sub) {
    case 'add':
      return add(rest);
    case 'list':
      if (rest.length) throw new UsageError('list takes no arguments');
      return list();
    case 'pause':
    case 'resume':
    case 'remove':
    case 'run':
      if (rest.length !== 1) throw new UsageError(`${sub} takes one connector name`);
      return byName(sub, rest[0]);
    case 'credential':
      return credential(rest);
    case 'interval':
      if (rest.length !== 2) throw new UsageError('interval takes a connector name and a number of minutes');
      return interval(rest[0], rest[1]);
    default:
      throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
  }
}

async function add(args: string[]): Promise<number> {
  const [kind, ...rest] = args;
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        'connection-string': { type: 'string' },
        'sas-url': { type: 'string' },
        containers: { type: 'string' },
        tenant: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret-stdin': { type: 'boolean' },
        'client-certificate-stdin': { type: 'boolean' },
        'authority-url': { type: 'string' },
        'graph-url': { type: 'string' },
        pushdown: { type: 'boolean' },
        path: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const allowed: Record<string, string[]> = {
    'defender-storage': ['name', 'connection-string', 'sas-url', 'containers'],
    'graph-hunting': [
      'name',
      'tenant',
      'client-id',
      'client-secret-stdin',
      'client-certificate-stdin',
      'authority-url',
      'graph-url',
      'pushdown',
    ],
    'zeek-folder': ['name', 'path'],
  };
  if (!kind || !allowed[kind]) throw new UsageError(`the kind must be defender-storage, graph-hunting or zeek-folder`);
  for (const option of Object.keys(values))
    if (!allowed[kind].includes(option)) throw new UsageError(`--${option} does not apply to ${kind}`);
  if (!values.name) throw new UsageError('--name is required');
  if (kind === 'graph-hunting' && !values['client-secret-stdin'] === !values['client-certificate-stdin'])
    throw new UsageError(
      'give --client-secret-stdin (the secret on standard input) or --client-certificate-stdin (the PEM of the certificate and its private key on standard input)',
    );
  const clientSecret = values['client-secret-stdin'] ? await readPasswordLine() : undefined;
  const clientCertificate = values['client-certificate-stdin'] ? await readAll() : undefined;
  const { addConnector } = await import('@/lib/connectors/addConnector');
  const { ConnectorInputError } = await import('@/lib/connectors/types');
  const { ConnectorExistsError } = await import('@/lib/connectors/connectorStore');
  return withDatabase(async () => {
    try {
      const connector = await addConnector(
        {
          kind,
          name: values.name,
          connectionString: values['connection-string'],
          sasUrl: values['sas-url'],
          containers: values.containers,
          tenant: values.tenant,
          clientId: values['client-id'],
          clientSecret,
          clientCertificate,
          authorityUrl: values['authority-url'],
          graphUrl: values['graph-url'],
          pushdown: values.pushdown,
          path: values.path,
        },
        process.env.USER ?? 'cli',
      );
      await auditConnector('connector.create', connector.name, { kind });
      console.log(`added ${connector.kind} connector ${connector.name} (every ${connector.intervalMinutes} minutes)`);
      return 0;
    } catch (error) {
      if (error instanceof ConnectorInputError) throw new UsageError(error.message);
      if (error instanceof ConnectorExistsError) throw new CommandError(error.message);
      throw error;
    }
  });
}

/** `torwatch connector interval N MINUTES`: how often the worker runs it (the next run counts from the last one). */
async function interval(name: string, minutes: string): Promise<number> {
  const { validInterval } = await import('@/lib/connectors/addConnector');
  const { ConnectorInputError } = await import('@/lib/connectors/types');
  let value: number;
  try {
    value = validInterval(minutes);
  } catch (error) {
    if (error instanceof ConnectorInputError) throw new UsageError(error.message);
    throw error;
  }
  const store = await import('@/lib/connectors/connectorStore');
  return withDatabase(async () => {
    const connector = await store.findConnector(name);
    if (!connector) throw new CommandError(`no connector named "${name}"`);
    await store.setInterval(connector.id, value);
    await auditConnector('connector.interval', name, { from: connector.intervalMinutes, to: value });
    console.log(`${name} runs every ${value} minutes`);
    return 0;
  });
}

const CREDENTIAL_OPTIONS = {
  'connection-string-stdin': 'connectionString',
  'sas-url-stdin': 'sasUrl',
  'client-secret-stdin': 'clientSecret',
  'client-certificate-stdin': 'clientCertificate',
} as const;

/**
 * `torwatch connector credential N --…-stdin`: replaces the connector's credential in place (read from standard input,
 * never from the command line, where `ps` would show it); its cursors stay.
 */
async function credential(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: Object.fromEntries(Object.keys(CREDENTIAL_OPTIONS).map((o) => [o, { type: 'boolean' as const }])),
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('credential takes one connector name');
  const given = Object.keys(values).filter((o) => values[o]) as (keyof typeof CREDENTIAL_OPTIONS)[];
  if (given.length !== 1)
    throw new UsageError(
      `give one of ${Object.keys(CREDENTIAL_OPTIONS)
        .map((o) => `--${o}`)
        .join(', ')}`,
    );
  const option = given[0];
  const value = option === 'client-certificate-stdin' ? await readAll() : await readPasswordLine();
  if (!value.trim()) throw new UsageError(`--${option}: standard input was empty`);
  const { replaceCredential } = await import('@/lib/connectors/addConnector');
  const { ConnectorInputError } = await import('@/lib/connectors/types');
  const store = await import('@/lib/connectors/connectorStore');
  const name = positionals[0];
  return withDatabase(async () => {
    const connector = await store.findConnector(name);
    if (!connector) throw new CommandError(`no connector named "${name}"`);
    try {
      await replaceCredential(connector, { [CREDENTIAL_OPTIONS[option]]: value });
    } catch (error) {
      if (error instanceof ConnectorInputError) throw new CommandError(`${name}: ${error.message}`);
      throw error;
    }
    // The secret never reaches the audit log: only which kind of credential it now is.
    await auditConnector('connector.credential', name, { credential: option.replace(/-stdin$/, '') });
    console.log(`${name}: credential replaced; the next run uses it`);
    return 0;
  });
}

/** All of standard input (a PEM bundle). */
async function readAll(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

async function list(): Promise<number> {
  const { listConnectors } = await import('@/lib/connectors/connectorStore');
  const { formatLag } = await import('@/lib/connectors/runConnector');
  return withDatabase(async () => {
    for (const c of await listConnectors()) {
      const lag = c.newestEventAt ? formatLag(Date.now() - c.newestEventAt.getTime()) : '-';
      const state = c.paused ? 'paused' : c.lastError ? 'failing' : c.lastSuccessAt ? 'ok' : 'new';
      const last = c.lastSuccessAt?.toISOString() ?? '-';
      const certificate = 'certificate' in c.config && c.config.certificate;
      const credential = certificate
        ? `\tcertificate=${certificate.thumbprint} expires=${certificate.expiresAt.slice(0, 10)}`
        : '';
      console.log(
        `${c.name}\t${c.kind}\t${state}\tevery=${c.intervalMinutes}m\tlast-success=${last}\tlag=${lag}${credential}${c.lastError ? `\terror=${c.lastError}` : ''}`,
      );
    }
    return 0;
  });
}

async function byName(sub: 'pause' | 'resume' | 'remove' | 'run', name: string): Promise<number> {
  const store = await import('@/lib/connectors/connectorStore');
  return withDatabase(async () => {
    const connector = await store.findConnector(name);
    if (!connector) throw new CommandError(`no connector named "${name}"`);
    if (sub === 'run') {
      const { runConnector, formatLag } = await import('@/lib/connectors/runConnector');
      const { onPieceProgress } = await import('@/lib/connectors/ingestPiece');
      const { capYoungGeneration } = await import('@/lib/ingest/youngGeneration');
      // This process only pulls: keep V8's young generation from growing to its ceiling (youngGeneration.ts).
      onPieceProgress(capYoungGeneration());
      const outcome = await runConnector(connector);
      const t = outcome.totals;
      console.log(
        `${name}: events=${t.events} inserted=${t.inserted} duplicate=${t.duplicate} rejected=${t.rejected} lag=${formatLag(outcome.lagMs)}`,
      );
      if (outcome.status !== 'done') console.error(`torwatch connector: ${name}: ${outcome.error}`);
      return outcome.status === 'done' ? 0 : 1;
    }
    if (sub === 'remove') await store.removeConnector(connector.id);
    else await store.setPaused(connector.id, sub === 'pause');
    await auditConnector(`connector.${sub}`, name, {});
    console.log(`${sub === 'remove' ? 'removed' : sub === 'pause' ? 'paused' : 'resumed'} ${name}`);
    return 0;
  });
}

async function auditConnector(action: string, target: string, details: Record<string, unknown>): Promise<void> {
  const { audit } = await import('@/lib/auth/audit');
  await audit(null, action, target, { ...details, via: 'cli' });
}
