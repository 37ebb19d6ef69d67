import type { DeviceInfoRecord, NetworkEventRecord } from './types';

// PostgreSQL COPY text format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2): columns
// separated by a tab, rows by a newline, NULL written `\N`, and a backslash, tab, newline or carriage return inside a
// value escaped as `\\`, `\t`, `\n`, `\r`. PostgreSQL text cannot hold a NUL character at all.

/** A value PostgreSQL cannot store (a NUL character): the loader turns the row into a reject naming `field`. */
export class CopyValueError extends Error {
  constructor(
    public field: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'CopyValueError';
  }
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY text format; `field` names it in the error for a NUL character. */
export function copyValue(value: string | number | null | undefined, field: string): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CopyValueError(field, `${value} is not a finite number`);
    return String(value);
  }
  if (!NEEDS_ESCAPE.test(value)) return value;
  if (value.includes('\0'))
    throw new CopyValueError(field, 'contains a NUL character, which PostgreSQL text cannot store');
  return value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
}

/** An event's wide columns (network_event_wide's names), in the staging table's COPY order. */
export const EVENT_COLUMNS = [
  'ts',
  'device_id',
  'device_name',
  'action_type',
  'direction',
  'remote_ip',
  'remote_port',
  'remote_url',
  'local_ip',
  'local_port',
  'protocol',
  'process_file_name',
  'process_folder_path',
  'process_sha256',
  'process_command_line',
  'process_account_name',
  'process_id',
  'report_id',
  'source',
] as const;

/**
 * Columns of the staging table, in COPY order. Events and DeviceInfo records share one staging table (one COPY
 * stream per connection), told apart by `kind`: 'e' event, 'd' DeviceInfo.
 */
export const STAGING_COLUMNS = [
  'kind',
  'line',
  ...EVENT_COLUMNS,
  'public_ip',
  'os_platform',
  'os_version',
  'machine_group',
  'attributes',
] as const;

const DEVICE_TAIL_NULLS = '\t\\N\t\\N\t\\N\t\\N\t\\N';

/** An event's EVENT_COLUMNS values, tab-separated, without a line end. */
function eventCopyValues(event: NetworkEventRecord): string {
  return (
    copyValue(event.ts, 'Timestamp') +
    '\t' +
    copyValue(event.deviceId, 'DeviceId') +
    '\t' +
    copyValue(event.deviceName, 'DeviceName') +
    '\t' +
    copyValue(event.actionType, 'ActionType') +
    '\t' +
    copyValue(event.direction, 'Direction') +
    '\t' +
    copyValue(event.remoteIp, 'RemoteIP') +
    '\t' +
    copyValue(event.remotePort, 'RemotePort') +
    '\t' +
    copyValue(event.remoteUrl, 'RemoteUrl') +
    '\t' +
    copyValue(event.localIp, 'LocalIP') +
    '\t' +
    copyValue(event.localPort, 'LocalPort') +
    '\t' +
    copyValue(event.protocol, 'Protocol') +
    '\t' +
    copyValue(event.processFileName, 'InitiatingProcessFileName') +
    '\t' +
    copyValue(event.processFolderPath, 'InitiatingProcessFolderPath') +
    '\t' +
    copyValue(event.processSha256, 'InitiatingProcessSHA256') +
    '\t' +
    copyValue(event.processCommandLine, 'InitiatingProcessCommandLine') +
    '\t' +
    copyValue(event.processAccountName, 'InitiatingProcessAccountName') +
    '\t' +
    copyValue(event.processId, 'InitiatingProcessId') +
    '\t' +
    copyValue(event.reportId, 'ReportId') +
    '\t' +
    copyValue(event.source, 'source')
  );
}

/** One staging row (with its newline) for a network event. */
export function eventCopyRow(event: NetworkEventRecord): string {
  return 'e\t' + event.line + '\t' + eventCopyValues(event) + DEVICE_TAIL_NULLS + '\n';
}

/** One staging row (with its newline) for a DeviceInfo record. */
export function deviceCopyRow(device: DeviceInfoRecord): string {
  const attributes = Object.keys(device.attributes).length > 0 ? JSON.stringify(device.attributes) : null;
  // jsonb refuses the \u0000 escape just as text refuses NUL.
  if (attributes?.includes('\\u0000'))
    throw new CopyValueError('attributes', 'contains a NUL character, which PostgreSQL cannot store');
  return (
    'd\t' +
    device.line +
    '\t' +
    copyValue(device.ts, 'Timestamp') +
    '\t' +
    copyValue(device.deviceId, 'DeviceId') +
    '\t' +
    copyValue(device.deviceName, 'DeviceName') +
    '\t\\N\tunknown\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N' +
    '\t' +
    copyValue(device.reportId, 'ReportId') +
    '\tdefender' +
    '\t' +
    copyValue(device.publicIp, 'PublicIP') +
    '\t' +
    copyValue(device.osPlatform, 'OSPlatform') +
    '\t' +
    copyValue(device.osVersion, 'OSVersion') +
    '\t' +
    copyValue(device.machineGroup, 'MachineGroup') +
    '\t' +
    copyValue(attributes, 'attributes') +
    '\n'
  );
}
