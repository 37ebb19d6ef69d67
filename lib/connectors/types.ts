// Connector kinds and their non-secret settings (connector.config). Secrets are in the secret store (secrets.ts).

export const CONNECTOR_KINDS = ['defender-storage', 'graph-hunting', 'zeek-folder'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export interface DefenderStorageConfig {
  /** Containers named by the admin; none: every `insights-logs-advancedhunting-*` container there is. */
  containers: string[];
  /** How the secret authenticates: a connection string (account key) or a SAS URL. */
  auth: 'connection-string' | 'sas-url';
}

export interface GraphHuntingConfig {
  tenant: string;
  clientId: string;
  /** Entra token endpoint base (default https://login.microsoftonline.com). */
  authorityUrl: string;
  /** Microsoft Graph base (default https://graph.microsoft.com). */
  graphUrl: string;
  /** Ask only for events whose RemoteIP was a relay address in the window. */
  pushdown: boolean;
  /** How the app authenticates: a client secret (absent: connectors added before certificates) or a certificate. */
  credential?: 'client-secret' | 'certificate';
  /** With a certificate: what identifies it (never the key), shown on the page and by `connector list`. */
  certificate?: { thumbprint: string; expiresAt: string; subject: string };
}

export interface ZeekFolderConfig {
  path: string;
}

export type ConnectorConfig = DefenderStorageConfig | GraphHuntingConfig | ZeekFolderConfig;

export interface Connector {
  id: number;
  name: string;
  kind: ConnectorKind;
  config: ConnectorConfig;
  paused: boolean;
  intervalMinutes: number;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failures: number;
  newestEventAt: Date | null;
  stalledNotifiedAt: Date | null;
  createdAt: Date;
}

/** What one run brought in (the `torwatch connector run` line). */
export interface RunTotals {
  events: number;
  inserted: number;
  duplicate: number;
  rejected: number;
  batches: number;
}

/** A problem the admin must fix or wait out (wrong secret, missing container, DNS): one line, retried with backoff. */
export class ConnectorError extends Error {
  name = 'ConnectorError';
}

export const DEFAULT_AUTHORITY_URL = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
export const DEFENDER_CONTAINER_PREFIX = 'insights-logs-advancedhunting-';

/** Bad settings from the command line or the form, naming the field. */
export class ConnectorInputError extends Error {
  name = 'ConnectorInputError';
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}
