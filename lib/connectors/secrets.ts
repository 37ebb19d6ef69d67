// Connector secrets (client secret, connection string, SAS URL) live in the encrypted secret store under
// `connector:<id>:<field>`: write-only in the UI, never logged or audited.
export { deleteSecret, getSecret, hasSecret, putSecret } from '@/lib/secrets/secretStore';

export const CONNECTOR_SECRET_FIELDS = ['client-secret', 'client-certificate', 'connection-string', 'sas-url'] as const;
/** `client-certificate`: the PEM bundle of the app's certificate and its private key (graph-hunting, §6.5.1). */
export type ConnectorSecretField = (typeof CONNECTOR_SECRET_FIELDS)[number];

export function secretName(connectorId: number, field: ConnectorSecretField): string {
  return `connector:${connectorId}:${field}`;
}
