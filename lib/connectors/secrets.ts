import { getPool } from '@/lib/db/pool';

// Connector secrets (client secret, connection string, SAS URL) under `connector:<id>:<field>`.
// INTERIM: the encrypted secret store (lib/secrets/secretStore.ts, hardening branch) is not merged yet; until it is,
// this keeps the same four functions over the `setting` table, so switching is a change of this file only.

export type ConnectorSecretField = 'client-secret' | 'connection-string' | 'sas-url';

export function secretName(connectorId: number, field: ConnectorSecretField): string {
  return `connector:${connectorId}:${field}`;
}

const key = (name: string) => `secret.${name}`;

export async function putSecret(name: string, value: string): Promise<void> {
  await getPool().query(
    `INSERT INTO setting (key, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key(name), JSON.stringify({ value })],
  );
}

export async function getSecret(name: string): Promise<string | null> {
  const { rows } = await getPool().query<{ value: { value: string } }>('SELECT value FROM setting WHERE key = $1', [
    key(name),
  ]);
  return rows[0]?.value.value ?? null;
}

export async function deleteSecret(name: string): Promise<boolean> {
  const { rowCount } = await getPool().query('DELETE FROM setting WHERE key = $1', [key(name)]);
  return (rowCount ?? 0) > 0;
}

export async function hasSecret(name: string): Promise<boolean> {
  return (await getSecret(name)) !== null;
}
