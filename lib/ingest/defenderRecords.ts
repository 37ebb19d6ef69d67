// The Defender record mapping (docs/architecture.md §6.2): a row of Defender cells, wherever they came from (the CSV
// export or the Streaming API's JSON), becomes a NetworkEventRecord or a DeviceInfoRecord — or a reject naming line,
// field and value. The Zeek parser shares its reject wording (quoteValue).
import { createHash } from 'node:crypto';
import { canonicalIp, parsePort } from '@/lib/net/ip';
import { defenderDirection } from './direction';
import { toUtcMicros } from './timestamps';
import { type DeviceInfoRecord, type IngestReject, type NetworkEventRecord } from './types';

/** The DeviceNetworkEvents columns a NetworkEventRecord is made of, in the order `networkEventFrom` reads them. */
export const NETWORK_COLUMNS = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'RemoteIP',
  'RemotePort',
  'RemoteUrl',
  'LocalIP',
  'LocalPort',
  'Protocol',
  'InitiatingProcessFileName',
  'InitiatingProcessFolderPath',
  'InitiatingProcessSHA256',
  'InitiatingProcessCommandLine',
  'InitiatingProcessAccountName',
  'InitiatingProcessId',
  'ReportId',
] as const;

/** The DeviceInfo columns with a field of their own; every other column goes to `attributes`. */
export const DEVICE_COLUMNS = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'PublicIP',
  'OSPlatform',
  'OSVersion',
  'MachineGroup',
  'ReportId',
] as const;

/** A cell as a format gives it: absent (undefined), null, or text where '' also means null. */
type Cell = string | null | undefined;
export type Attribute = string | number | boolean | null;

/** The position of a column the input does not have. */
export const NO_INDEX = -1;

// Positions in NETWORK_COLUMNS and DEVICE_COLUMNS (kept in step with the lists above).
const enum Net {
  Timestamp,
  DeviceId,
  DeviceName,
  ActionType,
  RemoteIP,
  RemotePort,
  RemoteUrl,
  LocalIP,
  LocalPort,
  Protocol,
  FileName,
  FolderPath,
  Sha256,
  CommandLine,
  AccountName,
  ProcessId,
  ReportId,
}
const enum Dev {
  Timestamp,
  DeviceId,
  DeviceName,
  PublicIP,
  OSPlatform,
  OSVersion,
  MachineGroup,
  ReportId,
}

/**
 * A NetworkEventRecord from the cells of one row; `at[i]` is where NETWORK_COLUMNS[i] sits in `cells` (-1: the
 * export has no such column). Returns the first problem as a reject instead.
 */
export function networkEventFrom(
  cells: ArrayLike<Cell>,
  at: ArrayLike<number>,
  line: number,
): NetworkEventRecord | IngestReject {
  const tsText = cellAt(cells, at, Net.Timestamp);
  const ts = tsText === null ? null : toUtcMicros(tsText);
  if (ts === null) return badValue(line, 'Timestamp', tsText, 'is not a timestamp');
  const deviceName = cellAt(cells, at, Net.DeviceName);
  const deviceId = cellAt(cells, at, Net.DeviceId) ?? deviceName;
  if (deviceId === null) return { line, field: 'DeviceId', reason: 'empty, and no DeviceName either' };
  const remoteIp = addressCell(line, 'RemoteIP', cellAt(cells, at, Net.RemoteIP));
  if (isRejected(remoteIp)) return remoteIp;
  const remotePort = portCell(line, 'RemotePort', cellAt(cells, at, Net.RemotePort));
  if (isRejected(remotePort)) return remotePort;
  const localIp = addressCell(line, 'LocalIP', cellAt(cells, at, Net.LocalIP));
  if (isRejected(localIp)) return localIp;
  const localPort = portCell(line, 'LocalPort', cellAt(cells, at, Net.LocalPort));
  if (isRejected(localPort)) return localPort;
  const pidText = cellAt(cells, at, Net.ProcessId);
  const processId = pidText === null ? null : /^\d{1,15}$/.test(pidText) ? Number(pidText) : undefined;
  if (processId === undefined) return badValue(line, 'InitiatingProcessId', pidText, 'is not a process id');
  const actionType = cellAt(cells, at, Net.ActionType);
  const record: NetworkEventRecord = {
    line,
    ts,
    deviceId,
    deviceName,
    actionType,
    direction: defenderDirection(actionType),
    remoteIp,
    remotePort,
    remoteUrl: cellAt(cells, at, Net.RemoteUrl),
    localIp,
    localPort,
    protocol: cellAt(cells, at, Net.Protocol),
    processFileName: cellAt(cells, at, Net.FileName),
    processFolderPath: cellAt(cells, at, Net.FolderPath),
    processSha256: cellAt(cells, at, Net.Sha256),
    processCommandLine: cellAt(cells, at, Net.CommandLine),
    processAccountName: cellAt(cells, at, Net.AccountName),
    processId,
    reportId: cellAt(cells, at, Net.ReportId) ?? '',
    source: 'defender',
  };
  if (record.reportId === '') {
    const { line: _line, reportId: _reportId, ...normalised } = record;
    record.reportId = rowHash(normalised);
  }
  return record;
}

/**
 * A DeviceInfoRecord from one row: `at` as for networkEventFrom over DEVICE_COLUMNS, `attributes` the other
 * columns. Returns the first problem as a reject instead.
 */
export function deviceInfoFrom(
  cells: ArrayLike<Cell>,
  at: ArrayLike<number>,
  attributes: Record<string, Attribute>,
  line: number,
): DeviceInfoRecord | IngestReject {
  const tsText = cellAt(cells, at, Dev.Timestamp);
  const ts = tsText === null ? null : toUtcMicros(tsText);
  if (ts === null) return badValue(line, 'Timestamp', tsText, 'is not a timestamp');
  const deviceName = cellAt(cells, at, Dev.DeviceName);
  const deviceId = cellAt(cells, at, Dev.DeviceId) ?? deviceName;
  if (deviceId === null) return { line, field: 'DeviceId', reason: 'empty, and no DeviceName either' };
  const publicIp = addressCell(line, 'PublicIP', cellAt(cells, at, Dev.PublicIP));
  if (isRejected(publicIp)) return publicIp;
  const record: DeviceInfoRecord = {
    line,
    ts,
    deviceId,
    deviceName,
    publicIp,
    osPlatform: cellAt(cells, at, Dev.OSPlatform),
    osVersion: cellAt(cells, at, Dev.OSVersion),
    machineGroup: cellAt(cells, at, Dev.MachineGroup),
    reportId: cellAt(cells, at, Dev.ReportId) ?? '',
    attributes,
  };
  if (record.reportId === '') {
    const { line: _line, reportId: _reportId, attributes: attrs, ...normalised } = record;
    record.reportId = rowHash({
      ...normalised,
      attributes: Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : 1)),
    });
  }
  return record;
}

function cellAt(cells: ArrayLike<Cell>, at: ArrayLike<number>, i: number): string | null {
  const value = at[i] === NO_INDEX ? undefined : cells[at[i]];
  return value === undefined || value === null || value === '' ? null : value;
}

export function isReject(row: object): row is IngestReject {
  return 'reason' in row;
}

function isRejected<T>(value: T | IngestReject): value is IngestReject {
  return typeof value === 'object' && value !== null;
}

/** Quoted and shortened for a reject message. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function badValue(line: number, field: string, value: string | null, problem: string): IngestReject {
  return { line, field, reason: value === null ? 'empty' : `${quoteValue(value)} ${problem}` };
}

/** Canonical address, null when empty, or a reject. */
function addressCell(line: number, field: string, value: string | null): string | null | IngestReject {
  if (value === null) return null;
  return canonicalIp(value) ?? badValue(line, field, value, 'is not an IP address');
}

function portCell(line: number, field: string, value: string | null): number | null | IngestReject {
  if (value === null) return null;
  return parsePort(value) ?? badValue(line, field, value, 'is not a port');
}

/** Identity for an export without ReportId: the same row always hashes the same (key order is fixed above). */
function rowHash(normalised: object): string {
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}
