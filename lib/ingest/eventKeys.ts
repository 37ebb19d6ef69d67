import type pg from 'pg';
import { copyValue } from './copyText';
import type { NetworkEventRecord } from './types';

// The direct loader's view of the dictionaries (docs/architecture.md §4.6): the keys of the device ids, device names,
// action types, transports (source and protocol), process images and command lines its events carry, looked up (or
// created) in batches of the values not seen before, inside the loader's transaction. Also which month partitions
// exist. Per load: a rolled-back savepoint takes the rows it created with it, and the instance goes with it.

const SEP = '\u0001';
/** Stands for null in a composite key (a value never holds NUL: copyValue refuses it before any lookup). */
const NULL = '\u0000';

/** Composite keys of a process image and a command. */
export function processKeyOf(e: NetworkEventRecord): string | null {
  if (e.processFileName === null && e.processFolderPath === null && e.processSha256 === null) return null;
  return (e.processFileName ?? NULL) + SEP + (e.processFolderPath ?? NULL) + SEP + (e.processSha256 ?? NULL);
}
export function commandKeyOf(e: NetworkEventRecord): string | null {
  if (e.processCommandLine === null && e.processAccountName === null) return null;
  return (e.processCommandLine ?? NULL) + SEP + (e.processAccountName ?? NULL);
}

/** The one-letter source code event_transport stores (d defender, z zeek), as the SQL of the other loaders writes it. */
export function sourceCode(source: NetworkEventRecord['source']): 'd' | 'z' {
  return source === 'zeek' ? 'z' : 'd';
}

/** Composite key of an event's transport: every event has one (the protocol may be null, the source never is). */
export function transportKeyOf(e: NetworkEventRecord): string {
  return sourceCode(e.source) + SEP + (e.protocol ?? NULL);
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const CANONICAL_INT = /^(0|-?[1-9][0-9]{0,18})$/;

/**
 * The SQL function report_num: a report id that is a canonical decimal within int8 is stored as that number (as
 * text here), anything else as text. Exact both ways: the number's text is the report id again.
 */
export function reportNum(reportId: string): string | null {
  if (!CANONICAL_INT.test(reportId)) return null;
  const n = BigInt(reportId);
  return n >= INT8_MIN && n <= INT8_MAX ? reportId : null;
}

/** The first day of the event's UTC month, from its canonical time `YYYY-MM-DDT…Z`. */
export function monthOf(ts: string): string {
  return ts.slice(0, 7);
}

/**
 * A value holds SEP, so its composite key would split into the wrong fields (and could equal another event's): the
 * direct loader gives way to the staging loader, which keys it in SQL (lib/store/eventSql.ts).
 */
export class UnkeyableValueError extends Error {}

/** The fields of a composite key; a key with more fields than `fields` has SEP inside a value. */
function split(key: string, fields: number): Array<string | null> {
  const parts = key.split(SEP);
  if (parts.length !== fields)
    throw new UnkeyableValueError('a process or command value holds the control character U+0001');
  return parts.map((v) => (v === NULL ? null : v));
}

export class EventKeys {
  readonly devices = new Map<string, number>();
  readonly names = new Map<string, number>();
  readonly actions = new Map<string, number>();
  readonly transports = new Map<string, number>();
  readonly processes = new Map<string, number>();
  readonly commands = new Map<string, number>();
  readonly months = new Set<string>();

  /** True when every key of these events is known. Events with a NUL character are left out: they become rejects. */
  knows(events: readonly NetworkEventRecord[]): boolean {
    for (const e of events) {
      if (!this.months.has(monthOf(e.ts)) || !this.devices.has(e.deviceId)) return false;
      if (e.deviceName !== null && !this.names.has(e.deviceName)) return false;
      if (e.actionType !== null && !this.actions.has(e.actionType)) return false;
      if (!this.transports.has(transportKeyOf(e))) return false;
      const p = processKeyOf(e);
      if (p !== null && !this.processes.has(p)) return false;
      const c = commandKeyOf(e);
      if (c !== null && !this.commands.has(c)) return false;
    }
    return true;
  }

  /** Looks up or creates whatever these events need that is not known yet (the client must not be in a COPY). */
  async learn(client: pg.ClientBase, events: readonly NetworkEventRecord[]): Promise<void> {
    const months = new Set<string>();
    const devices = new Set<string>();
    const names = new Set<string>();
    const actions = new Set<string>();
    const transports = new Set<string>();
    const processes = new Set<string>();
    const commands = new Set<string>();
    for (const e of events) {
      if (!storable(e)) continue;
      const month = monthOf(e.ts);
      if (!this.months.has(month)) months.add(month);
      if (!this.devices.has(e.deviceId)) devices.add(e.deviceId);
      if (e.deviceName !== null && !this.names.has(e.deviceName)) names.add(e.deviceName);
      if (e.actionType !== null && !this.actions.has(e.actionType)) actions.add(e.actionType);
      const t = transportKeyOf(e);
      if (!this.transports.has(t)) transports.add(t);
      const p = processKeyOf(e);
      if (p !== null && !this.processes.has(p)) processes.add(p);
      const c = commandKeyOf(e);
      if (c !== null && !this.commands.has(c)) commands.add(c);
    }
    if (months.size > 0) {
      await client.query('SELECT ensure_event_partitions($1::timestamptz[])', [
        [...months].map((m) => `${m}-01T00:00:00Z`),
      ]);
      for (const m of months) this.months.add(m);
    }
    if (devices.size > 0) await this.devicesFor(client, [...devices]);
    if (names.size > 0) await this.simple(client, 'device_name_dict', 'name_key', [...names], this.names);
    if (actions.size > 0) await this.simple(client, 'action_type', 'action_key', [...actions], this.actions);
    if (transports.size > 0) await this.transportsFor(client, [...transports]);
    if (processes.size > 0) await this.processesFor(client, [...processes]);
    if (commands.size > 0) await this.commandsFor(client, [...commands]);
  }

  // Every dictionary insert below offers only the values not stored yet (NOT EXISTS, then ON CONFLICT for a racing
  // writer): an INSERT draws its key from the sequence for every row it offers, also those ON CONFLICT then skips —
  // offering every value of every file ran action_type's and event_transport's smallint keys out within weeks of
  // connector batches (docs/architecture.md §4.6).
  private async devicesFor(client: pg.ClientBase, ids: string[]): Promise<void> {
    // A new device gets a row with its id only; the loader's update adds names and first/last seen at the end.
    const { rows } = await client.query<{ k: string; v: number }>(
      `WITH ins AS (INSERT INTO device (device_id) SELECT i FROM unnest($1::text[]) AS i
                    WHERE NOT EXISTS (SELECT 1 FROM device d WHERE d.device_id = i) ORDER BY 1 ON CONFLICT DO NOTHING
                    RETURNING device_id, device_key)
       SELECT device_id AS k, device_key AS v FROM ins
       UNION ALL SELECT device_id, device_key FROM device WHERE device_id = ANY ($1::text[])`,
      [ids],
    );
    for (const r of rows) this.devices.set(r.k, r.v);
  }

  private async simple(
    client: pg.ClientBase,
    table: string,
    key: string,
    values: string[],
    into: Map<string, number>,
  ): Promise<void> {
    const { rows } = await client.query<{ k: string; v: number }>(
      `WITH ins AS (INSERT INTO ${table} (name) SELECT n FROM unnest($1::text[]) AS n
                    WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.name = n) ON CONFLICT DO NOTHING RETURNING name, ${key})
       SELECT name AS k, ${key} AS v FROM ins UNION ALL SELECT name, ${key} FROM ${table} WHERE name = ANY ($1::text[])`,
      [values],
    );
    for (const r of rows) into.set(r.k, r.v);
  }

  private async transportsFor(client: pg.ClientBase, keys: string[]): Promise<void> {
    // The source is one letter: the protocol is the rest after it and SEP, whatever characters it holds.
    const parts = keys.map((k) => [k[0], k.slice(2) === NULL ? null : k.slice(2)]);
    const { rows } = await client.query<{ s: string; p: string | null; v: number }>(
      `WITH v AS (SELECT * FROM unnest($1::"char"[], $2::text[]) AS v(s, p)),
       ins AS (INSERT INTO event_transport (source, protocol) SELECT s, p FROM v
               WHERE NOT EXISTS (SELECT 1 FROM event_transport t WHERE t.source = v.s AND t.protocol IS NOT DISTINCT FROM v.p)
               ON CONFLICT DO NOTHING
               RETURNING transport_key, source, protocol)
       SELECT source AS s, protocol AS p, transport_key AS v FROM ins
       UNION ALL
       SELECT t.source, t.protocol, t.transport_key FROM event_transport t JOIN v
         ON t.source = v.s AND t.protocol IS NOT DISTINCT FROM v.p`,
      [parts.map((p) => p[0]), parts.map((p) => p[1])],
    );
    for (const r of rows) this.transports.set(r.s + SEP + (r.p ?? NULL), r.v);
  }

  private async processesFor(client: pg.ClientBase, keys: string[]): Promise<void> {
    const parts = keys.map((key) => split(key, 3));
    const { rows } = await client.query<{ f: string | null; d: string | null; s: string | null; v: number }>(
      `WITH v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS v(f, d, s)),
       ins AS (INSERT INTO process_image (file_name, folder_path, sha256) SELECT f, d, s FROM v
               WHERE NOT EXISTS (SELECT 1 FROM process_image p WHERE p.file_name IS NOT DISTINCT FROM v.f
                                 AND p.folder_path IS NOT DISTINCT FROM v.d AND p.sha256 IS NOT DISTINCT FROM v.s)
               ON CONFLICT DO NOTHING
               RETURNING process_key, file_name, folder_path, sha256)
       SELECT file_name AS f, folder_path AS d, sha256 AS s, process_key AS v FROM ins
       UNION ALL
       SELECT p.file_name, p.folder_path, p.sha256, p.process_key FROM process_image p JOIN v
         ON p.file_name IS NOT DISTINCT FROM v.f AND p.folder_path IS NOT DISTINCT FROM v.d AND p.sha256 IS NOT DISTINCT FROM v.s`,
      [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2])],
    );
    for (const r of rows) this.processes.set((r.f ?? NULL) + SEP + (r.d ?? NULL) + SEP + (r.s ?? NULL), r.v);
  }

  private async commandsFor(client: pg.ClientBase, keys: string[]): Promise<void> {
    const parts = keys.map((key) => split(key, 2));
    const { rows } = await client.query<{ c: string | null; a: string | null; v: number }>(
      `WITH v AS (SELECT c, a, sha256(convert_to(c, 'UTF8')) AS h FROM unnest($1::text[], $2::text[]) AS v(c, a)),
       ins AS (INSERT INTO process_command (command_line, account_name, command_sha256) SELECT c, a, h FROM v
               WHERE NOT EXISTS (SELECT 1 FROM process_command p WHERE p.command_sha256 IS NOT DISTINCT FROM v.h
                                 AND p.account_name IS NOT DISTINCT FROM v.a)
               ON CONFLICT DO NOTHING RETURNING command_key, command_line, account_name)
       SELECT command_line AS c, account_name AS a, command_key AS v FROM ins
       UNION ALL
       SELECT p.command_line, p.account_name, p.command_key FROM process_command p JOIN v
         ON p.command_sha256 IS NOT DISTINCT FROM v.h AND p.account_name IS NOT DISTINCT FROM v.a`,
      [parts.map((p) => p[0]), parts.map((p) => p[1])],
    );
    for (const r of rows) this.commands.set((r.c ?? NULL) + SEP + (r.a ?? NULL), r.v);
  }

  /** One network_event row (with its newline) in COMPACT_EVENT_COLUMNS order; every key must be known. */
  row(e: NetworkEventRecord, batchId: number): string {
    // Every value checked in the order of the wide row, so a reject names the same field as the staging loader's
    // would: a NUL character throws CopyValueError before any key is needed. Dictionary strings only need that check
    // (they travel as query parameters); the rest is escaped for COPY here.
    nul(e.deviceId, 'DeviceId');
    nul(e.deviceName, 'DeviceName');
    nul(e.actionType, 'ActionType');
    const remoteIp = copyValue(e.remoteIp, 'RemoteIP');
    const remotePort = copyValue(e.remotePort, 'RemotePort');
    const remoteUrl = copyValue(e.remoteUrl, 'RemoteUrl');
    const localIp = copyValue(e.localIp, 'LocalIP');
    const localPort = copyValue(e.localPort, 'LocalPort');
    nul(e.protocol, 'Protocol');
    nul(e.processFileName, 'InitiatingProcessFileName');
    nul(e.processFolderPath, 'InitiatingProcessFolderPath');
    nul(e.processSha256, 'InitiatingProcessSHA256');
    nul(e.processCommandLine, 'InitiatingProcessCommandLine');
    nul(e.processAccountName, 'InitiatingProcessAccountName');
    const processId = copyValue(e.processId, 'InitiatingProcessId');
    const num = reportNum(e.reportId);
    const reportText = num === null ? copyValue(e.reportId, 'ReportId') : '';
    const p = processKeyOf(e);
    const c = commandKeyOf(e);
    return (
      e.ts +
      '\t' +
      (num ?? '0') +
      '\t' +
      processId +
      '\t' +
      this.devices.get(e.deviceId)! +
      '\t' +
      batchId +
      '\t' +
      (p === null ? '\\N' : this.processes.get(p)!) +
      '\t' +
      (c === null ? '\\N' : this.commands.get(c)!) +
      '\t' +
      (e.deviceName === null ? '\\N' : this.names.get(e.deviceName)!) +
      '\t' +
      remotePort +
      '\t' +
      localPort +
      '\t' +
      (e.actionType === null ? '\\N' : this.actions.get(e.actionType)!) +
      '\t' +
      this.transports.get(transportKeyOf(e))! +
      '\t' +
      DIRECTION_CODE[e.direction] +
      '\t' +
      reportText +
      '\t' +
      remoteIp +
      '\t' +
      localIp +
      '\t' +
      remoteUrl +
      '\n'
    );
  }
}

const DIRECTION_CODE: Record<NetworkEventRecord['direction'], string> = {
  outbound: 'o',
  inbound: 'i',
  listening: 'l',
  unknown: 'u',
};

/** A dictionary string with a NUL character: PostgreSQL text cannot hold it, so the row is a reject naming `field`. */
function nul(value: string | null, field: string): void {
  if (value !== null && value.includes('\0')) copyValue(value, field);
}

/** Every value of an event, checked as the wide COPY row checks them, in its order (copyValue throws CopyValueError). */
function checkValues(e: NetworkEventRecord): void {
  copyValue(e.ts, 'Timestamp');
  copyValue(e.deviceId, 'DeviceId');
  copyValue(e.deviceName, 'DeviceName');
  copyValue(e.actionType, 'ActionType');
  copyValue(e.direction, 'Direction');
  copyValue(e.remoteIp, 'RemoteIP');
  copyValue(e.remotePort, 'RemotePort');
  copyValue(e.remoteUrl, 'RemoteUrl');
  copyValue(e.localIp, 'LocalIP');
  copyValue(e.localPort, 'LocalPort');
  copyValue(e.protocol, 'Protocol');
  copyValue(e.processFileName, 'InitiatingProcessFileName');
  copyValue(e.processFolderPath, 'InitiatingProcessFolderPath');
  copyValue(e.processSha256, 'InitiatingProcessSHA256');
  copyValue(e.processCommandLine, 'InitiatingProcessCommandLine');
  copyValue(e.processAccountName, 'InitiatingProcessAccountName');
  copyValue(e.processId, 'InitiatingProcessId');
  copyValue(e.reportId, 'ReportId');
}

/** False for an event the row function will refuse (a NUL character): its values must not reach a dictionary. */
function storable(e: NetworkEventRecord): boolean {
  try {
    checkValues(e);
    return true;
  } catch {
    return false;
  }
}
