// Connector secrets (client secret, connection string, SAS URL) live in the encrypted secret store under
// `connector:<id>:<field>`: write-only in the UI, never logged or audited.
export { deleteSecret, getSecret, hasSecret, putSecret } from '@/lib/secrets/secretStore';

export type ConnectorSecretField = 'client-secret' | 'connection-string' | 'sas-url';

export function secretName(connectorId: number, field: ConnectorSecretField): string {
  return `connector:${connectorId}:${field}`;
}
