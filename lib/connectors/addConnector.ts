import path from 'node:path';
import { parseClientCertificate, summarizeCertificate } from './clientAssertion';
import { createConnector, replaceConnectorCredential } from './connectorStore';
import { checkConnectorUrl } from './outbound';
import {
  CONNECTOR_KINDS,
  ConnectorInputError,
  DEFAULT_AUTHORITY_URL,
  DEFAULT_GRAPH_URL,
  type Connector,
  type ConnectorConfig,
  type ConnectorKind,
} from './types';

// Adding a connector, the same from `torwatch connector add` and from Settings → Connectors: validated, the secrets to
// the secret store, the rest to connector.config.

export interface AddConnectorInput {
  kind: string;
  name?: string;
  connectionString?: string;
  sasUrl?: string;
  containers?: string;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM: the app's certificate and its unencrypted private key (instead of a client secret). */
  clientCertificate?: string;
  authorityUrl?: string;
  graphUrl?: string;
  pushdown?: boolean;
  path?: string;
  intervalMinutes?: number;
}

/** The schedule: minutes between runs (a run is also started by Run now and `torwatch connector run`). */
export function validInterval(value: unknown): number {
  const minutes = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    throw new ConnectorInputError('interval', 'the interval is a whole number of minutes from 1 to 1440');
  return minutes;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

export async function addConnector(input: AddConnectorInput, actor: string | null): Promise<Connector> {
  if (!(CONNECTOR_KINDS as readonly string[]).includes(input.kind))
    throw new ConnectorInputError('kind', `the kind must be one of ${CONNECTOR_KINDS.join(', ')}`);
  const kind = input.kind as ConnectorKind;
  const name = input.name?.trim() ?? '';
  if (!NAME.test(name))
    throw new ConnectorInputError('name', 'a name is 1–64 letters, digits, dots, dashes or underscores');
  const interval = validInterval(input.intervalMinutes ?? 5);
  const { config, secrets } = await settings(kind, input);
  return createConnector({ name, kind, config, secrets, intervalMinutes: interval, createdBy: actor });
}

/** A new credential for an existing connector: exactly one of these, of a kind the connector's kind takes. */
export type CredentialInput = Pick<
  AddConnectorInput,
  'connectionString' | 'sasUrl' | 'clientSecret' | 'clientCertificate'
>;

/**
 * Replaces a connector's credential in place (an expired SAS, a rotated client secret, a renewed certificate): checked
 * like a new connector's, the old secret deleted and the new one stored with the config in one transaction; the
 * cursors stay, so the next run carries on where the last stopped. Returns the connector as it is now.
 */
export async function replaceCredential(connector: Connector, input: CredentialInput): Promise<Connector> {
  const config = connector.config;
  let merged: AddConnectorInput;
  switch (connector.kind) {
    case 'zeek-folder':
      throw new ConnectorInputError('kind', 'a zeek-folder connector has no credential');
    case 'defender-storage': {
      if (input.clientSecret || input.clientCertificate)
        throw new ConnectorInputError('secret', 'a defender-storage connector takes a connection string or a SAS URL');
      const containers = 'containers' in config ? config.containers.join(',') : '';
      merged = { kind: connector.kind, connectionString: input.connectionString, sasUrl: input.sasUrl, containers };
      break;
    }
    case 'graph-hunting': {
      if (input.connectionString || input.sasUrl)
        throw new ConnectorInputError('secret', 'a graph-hunting connector takes a client secret or a certificate');
      if (!('tenant' in config)) throw new Error(`connector ${connector.name}: its settings are not graph-hunting's`);
      merged = {
        kind: connector.kind,
        tenant: config.tenant,
        clientId: config.clientId,
        authorityUrl: config.authorityUrl,
        graphUrl: config.graphUrl,
        pushdown: config.pushdown,
        clientSecret: input.clientSecret,
        clientCertificate: input.clientCertificate,
      };
      break;
    }
  }
  const { config: next, secrets } = await settings(connector.kind, merged);
  return replaceConnectorCredential(connector.id, next, secrets);
}

async function settings(
  kind: ConnectorKind,
  input: AddConnectorInput,
): Promise<{ config: ConnectorConfig; secrets: Record<string, string> }> {
  switch (kind) {
    case 'zeek-folder': {
      if (!input.path?.trim()) throw new ConnectorInputError('path', '--path (the folder Zeek writes to) is required');
      return { config: { path: path.resolve(input.path.trim()) }, secrets: {} };
    }
    case 'defender-storage': {
      const cs = input.connectionString?.trim();
      const sas = input.sasUrl?.trim();
      if (!cs === !sas)
        throw new ConnectorInputError('secret', 'give either a connection string or a SAS URL (exactly one)');
      const containers = (input.containers ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      for (const container of containers)
        if (!CONTAINER.test(container))
          throw new ConnectorInputError('containers', `"${container}" is not a valid container name`);
      if (sas) {
        let url: URL;
        try {
          url = new URL(sas);
        } catch {
          throw new ConnectorInputError('sasUrl', 'the SAS URL is not a URL');
        }
        if (!url.searchParams.has('sig'))
          throw new ConnectorInputError('sasUrl', 'the SAS URL has no signature (sig=)');
        await checkConnectorUrl(url.origin, 'sasUrl');
      } else {
        const endpoint = blobEndpointOf(cs!);
        if (!endpoint)
          throw new ConnectorInputError(
            'connectionString',
            'the connection string needs AccountName and AccountKey (or a BlobEndpoint)',
          );
        await checkConnectorUrl(endpoint, 'connectionString');
      }
      return {
        config: { containers, auth: sas ? 'sas-url' : 'connection-string' },
        secrets: sas ? { 'sas-url': sas } : { 'connection-string': cs! },
      };
    }
    case 'graph-hunting': {
      const tenant = input.tenant?.trim() ?? '';
      const clientId = input.clientId?.trim() ?? '';
      if (!/^[A-Za-z0-9.-]{1,100}$/.test(tenant))
        throw new ConnectorInputError('tenant', '--tenant (the directory/tenant id or domain) is required');
      if (!/^[A-Za-z0-9-]{1,100}$/.test(clientId))
        throw new ConnectorInputError('clientId', '--client-id (the application id) is required');
      const pem = input.clientCertificate?.trim();
      if (!input.clientSecret === !pem)
        throw new ConnectorInputError('clientSecret', 'give either a client secret or a certificate (exactly one)');
      const certificate = pem ? summarizeCertificate(parseClientCertificate(pem)) : null;
      if (certificate && Date.parse(certificate.expiresAt) <= Date.now())
        throw new ConnectorInputError('clientCertificate', `the certificate expired on ${certificate.expiresAt}`);
      const authorityUrl = trimSlash(input.authorityUrl?.trim() || DEFAULT_AUTHORITY_URL);
      const graphUrl = trimSlash(input.graphUrl?.trim() || DEFAULT_GRAPH_URL);
      await checkConnectorUrl(authorityUrl, 'authorityUrl');
      await checkConnectorUrl(graphUrl, 'graphUrl');
      return {
        config: {
          tenant,
          clientId,
          authorityUrl,
          graphUrl,
          pushdown: input.pushdown ?? false,
          ...(certificate
            ? { credential: 'certificate' as const, certificate }
            : { credential: 'client-secret' as const }),
        },
        secrets: certificate ? { 'client-certificate': pem! + '\n' } : { 'client-secret': input.clientSecret! },
      };
    }
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The blob endpoint a connection string names (BlobEndpoint=, else https://<AccountName>.blob.<suffix>). */
export function blobEndpointOf(connectionString: string): string | null {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (parts.has('blobendpoint')) return parts.get('blobendpoint')!.replace(/\/+$/, '');
  const account = parts.get('accountname');
  if (!account) return null;
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  return `${protocol}://${account}.blob.${parts.get('endpointsuffix') ?? 'core.windows.net'}`;
}
