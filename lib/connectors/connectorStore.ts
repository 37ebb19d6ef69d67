import type pg from 'pg';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/withTransaction';
import { CONNECTOR_SECRET_FIELDS, deleteSecret, putSecret, secretName, type ConnectorSecretField } from './secrets';
import type { Connector, ConnectorConfig, ConnectorKind } from './types';

// The connector rows and their cursors (raw SQL: the CLI and the worker do not load Prisma for this).

interface ConnectorRow {
  id: number;
  name: string;
  kind: ConnectorKind;
  config: ConnectorConfig;
  paused: boolean;
  interval_minutes: number;
  last_run_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  failures: number;
  newest_event_at: Date | null;
  stalled_notified_at: Date | null;
  created_at: Date;
}

function fromRow(row: ConnectorRow): Connector {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config: row.config,
    paused: row.paused,
    intervalMinutes: row.interval_minutes,
    lastRunAt: row.last_run_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    failures: row.failures,
    newestEventAt: row.newest_event_at,
    stalledNotifiedAt: row.stalled_notified_at,
    createdAt: row.created_at,
  };
}

export class ConnectorExistsError extends Error {}

export async function listConnectors(db: pg.Pool | pg.ClientBase = getPool()): Promise<Connector[]> {
  const { rows } = await db.query<ConnectorRow>('SELECT * FROM connector ORDER BY name');
  return rows.map(fromRow);
}

export async function findConnector(nameOrId: string | number): Promise<Connector | null> {
  const { rows } =
    typeof nameOrId === 'number'
      ? await getPool().query<ConnectorRow>('SELECT * FROM connector WHERE id = $1', [nameOrId])
      : await getPool().query<ConnectorRow>('SELECT * FROM connector WHERE name = $1', [nameOrId]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Creates the connector and stores its secrets; the row and the secrets appear together or not at all. */
export async function createConnector(input: {
  name: string;
  kind: ConnectorKind;
  config: ConnectorConfig;
  secrets: Partial<Record<ConnectorSecretField, string>>;
  intervalMinutes?: number;
  createdBy: string | null;
}): Promise<Connector> {
  let row: ConnectorRow;
  try {
    ({
      rows: [row],
    } = await getPool().query<ConnectorRow>(
      `INSERT INTO connector (name, kind, config, interval_minutes, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [input.name, input.kind, JSON.stringify(input.config), input.intervalMinutes ?? 5, input.createdBy],
    ));
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new ConnectorExistsError(`a connector named "${input.name}" already exists`);
    throw error;
  }
  try {
    for (const [field, value] of Object.entries(input.secrets))
      if (value !== undefined) await putSecret(secretName(row.id, field as ConnectorSecretField), value);
  } catch (error) {
    await removeConnector(row.id);
    throw error;
  }
  return fromRow(row);
}

/**
 * The new config and secrets of a replaced credential, with the secrets of the other credential fields deleted, in one
 * transaction; the failure count is cleared so the next tick runs it without the backoff the old credential earned.
 */
export async function replaceConnectorCredential(
  id: number,
  config: ConnectorConfig,
  secrets: Partial<Record<ConnectorSecretField, string>>,
): Promise<Connector> {
  return withTransaction(async (client) => {
    const { rows } = await client.query<ConnectorRow>(
      'UPDATE connector SET config = $2, failures = 0 WHERE id = $1 RETURNING *',
      [id, JSON.stringify(config)],
    );
    if (!rows[0]) throw new Error(`connector ${id} is gone`);
    for (const field of CONNECTOR_SECRET_FIELDS) {
      const value = secrets[field];
      if (value === undefined) await deleteSecret(secretName(id, field), client);
      else await putSecret(secretName(id, field), value, client);
    }
    return fromRow(rows[0]);
  });
}

export async function setPaused(id: number, paused: boolean): Promise<void> {
  await getPool().query('UPDATE connector SET paused = $2 WHERE id = $1', [id, paused]);
}

export async function setInterval(id: number, minutes: number): Promise<void> {
  await getPool().query('UPDATE connector SET interval_minutes = $2 WHERE id = $1', [id, minutes]);
}

/** Removes the connector, its cursors and its secrets (the events it brought in stay). */
export async function removeConnector(id: number): Promise<void> {
  await getPool().query('DELETE FROM connector WHERE id = $1', [id]);
  for (const field of CONNECTOR_SECRET_FIELDS) await deleteSecret(secretName(id, field));
}

export type CursorValue = Record<string, unknown>;

export async function loadCursors(connectorId: number): Promise<Map<string, CursorValue>> {
  const { rows } = await getPool().query<{ key: string; value: CursorValue }>(
    'SELECT key, value FROM connector_cursor WHERE connector_id = $1',
    [connectorId],
  );
  return new Map(rows.map((r) => [r.key, r.value]));
}

export interface CursorChange {
  /** Cursors to write (insert or replace). */
  set?: Record<string, CursorValue>;
  /** Cursors to delete (a file taken over by its rotated copy). */
  remove?: string[];
  /** The newest event time this change brings in (the connector's lag). */
  newestEventAt?: string | null;
}

/** Writes the change on `db` — inside a batch's transaction, so the cursor commits with the rows it describes. */
export async function writeCursors(
  db: pg.ClientBase | pg.Pool,
  connectorId: number,
  change: CursorChange,
): Promise<void> {
  const entries = Object.entries(change.set ?? {});
  if (entries.length > 0)
    await db.query(
      `INSERT INTO connector_cursor (connector_id, key, value, updated_at)
       SELECT $1, key, value, now() FROM unnest($2::text[], $3::jsonb[]) AS c(key, value)
       ON CONFLICT (connector_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [connectorId, entries.map(([key]) => key), entries.map(([, value]) => JSON.stringify(value))],
    );
  if (change.remove?.length)
    await db.query('DELETE FROM connector_cursor WHERE connector_id = $1 AND key = ANY($2::text[])', [
      connectorId,
      change.remove,
    ]);
  if (change.newestEventAt)
    await db.query(`UPDATE connector SET newest_event_at = GREATEST(newest_event_at, $2::timestamptz) WHERE id = $1`, [
      connectorId,
      change.newestEventAt,
    ]);
}

/**
 * Deletes the cursors of things no longer there (a Zeek file gone from the folder, a blob deleted by the account's
 * lifecycle policy): every cursor of the connector whose key is not in `present` and that has not changed for
 * `keptMs`. Returns how many went.
 */
export async function pruneCursors(connectorId: number, present: string[], keptMs: number): Promise<number> {
  const { rowCount } = await getPool().query(
    `DELETE FROM connector_cursor
     WHERE connector_id = $1 AND NOT (key = ANY($2::text[])) AND updated_at < now() - $3 * interval '1 millisecond'`,
    [connectorId, present, keptMs],
  );
  return rowCount ?? 0;
}
