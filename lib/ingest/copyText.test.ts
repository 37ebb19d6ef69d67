import { describe, expect, it } from 'vitest';
import { copyValue, CopyValueError, deviceCopyRow, eventCopyRow, STAGING_COLUMNS } from './copyText';
import type { DeviceInfoRecord, NetworkEventRecord } from './types';

const sampleEvent: NetworkEventRecord = {
  line: 2,
  ts: '2023-10-18T15:43:47.154945Z',
  deviceId: 'dev-1',
  deviceName: 'pc1',
  actionType: 'ConnectionSuccess',
  direction: 'outbound',
  remoteIp: '1.2.3.4',
  remotePort: 9001,
  remoteUrl: null,
  localIp: '10.0.0.2',
  localPort: 51000,
  protocol: 'Tcp',
  processFileName: 'tor.exe',
  processFolderPath: 'C:\\Tor\\tor.exe',
  processSha256: null,
  processCommandLine: 'tor.exe\t--quiet\r\n--x',
  processAccountName: null,
  processId: 4242,
  reportId: '17',
  source: 'defender',
};

const sampleDevice: DeviceInfoRecord = {
  line: 3,
  ts: '2023-10-18T15:00:00.000000Z',
  deviceId: 'dev-1',
  deviceName: 'pc1',
  publicIp: '203.0.113.9',
  osPlatform: 'Windows11',
  osVersion: null,
  machineGroup: 'Lab',
  reportId: '5',
  attributes: { OSBuild: 22631, Note: 'a\\b' },
};

/** Reads one COPY text row back the way PostgreSQL does. */
function decodeRow(row: string): (string | null)[] {
  expect(row.endsWith('\n')).toBe(true);
  return row
    .slice(0, -1)
    .split('\t')
    .map((cell) =>
      cell === '\\N'
        ? null
        : cell.replace(
            /\\(.)/g,
            (_, c: string) => (({ t: '\t', n: '\n', r: '\r', '\\': '\\' }) as Record<string, string>)[c] ?? c,
          ),
    );
}

describe('copyValue', () => {
  it('escapes backslash, tab, newline and carriage return, and writes null as \\N', () => {
    expect(copyValue('a\\b\tc\nd\re', 'f')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue(null, 'f')).toBe('\\N');
    expect(copyValue('\\N', 'f')).toBe('\\\\N');
    expect(copyValue(42, 'f')).toBe('42');
    expect(copyValue('plain text, "quoted"', 'f')).toBe('plain text, "quoted"');
  });

  it('refuses a NUL character and a non-finite number, naming the field', () => {
    expect(() => copyValue('a\0b', 'RemoteUrl')).toThrow(CopyValueError);
    try {
      copyValue('a\0b', 'RemoteUrl');
    } catch (error) {
      expect((error as CopyValueError).field).toBe('RemoteUrl');
    }
    expect(() => copyValue(Number.NaN, 'RemotePort')).toThrow(/finite/);
  });
});

describe('staging rows', () => {
  it('an event row has one cell per staging column and round-trips hostile text', () => {
    const cells = decodeRow(eventCopyRow(sampleEvent));
    expect(cells).toHaveLength(STAGING_COLUMNS.length);
    const row = Object.fromEntries(STAGING_COLUMNS.map((c, i) => [c, cells[i]]));
    expect(row).toMatchObject({
      kind: 'e',
      line: '2',
      device_id: 'dev-1',
      process_folder_path: 'C:\\Tor\\tor.exe',
      process_command_line: 'tor.exe\t--quiet\r\n--x',
      remote_url: null,
      process_id: '4242',
      public_ip: null,
      attributes: null,
    });
  });

  it('a DeviceInfo row has one cell per staging column with its attributes as JSON', () => {
    const cells = decodeRow(deviceCopyRow(sampleDevice));
    expect(cells).toHaveLength(STAGING_COLUMNS.length);
    const row = Object.fromEntries(STAGING_COLUMNS.map((c, i) => [c, cells[i]]));
    expect(row).toMatchObject({
      kind: 'd',
      public_ip: '203.0.113.9',
      os_platform: 'Windows11',
      machine_group: 'Lab',
      report_id: '5',
    });
    expect(JSON.parse(row.attributes!)).toEqual({ OSBuild: 22631, Note: 'a\\b' });
  });

  it('refuses a DeviceInfo attribute holding NUL (jsonb cannot store it)', () => {
    expect(() => deviceCopyRow({ ...sampleDevice, attributes: { X: 'a\0' } })).toThrow(/NUL/);
  });
});
