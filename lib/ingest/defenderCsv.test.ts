import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect';
import { IngestLimitError } from './ingestLimits';
import { IngestFormatError } from './types';

// The KQL-parity sample, beside the repository (shared/ sits next to the checkout, here and in CI).
const SAMPLES = [
  path.resolve(import.meta.dirname, '../../../shared/examples/kql-parity'),
  '/work/shared/examples/kql-parity',
].find((dir) => existsSync(dir))!;

const SUBSET_HEADER = 'RemotePort,ActionType,DeviceName,Timestamp,RemoteIP,InitiatingProcessFileName,AdditionalFields';

describe('Defender DeviceNetworkEvents CSV', () => {
  it('maps a projection of columns in another order, with BOM, mixed line ends and quoted JSON', async () => {
    const csv =
      `\uFEFF${SUBSET_HEADER}\r\n` +
      '9001,ConnectionSuccess,wks-1,2023-10-18T15:43:47.1549452Z,::ffff:198.51.100.7,tor.exe,"{""a"": ""x,y""}"\n' +
      '443,InboundConnectionAccepted,wks-2,2023-10-18T15:43:48.9999995Z,,"say ""hi"", world.exe",\r' +
      '53,ListeningConnectionCreated,wks-3,2023-10-18T15:43:49Z,2001:0DB8::0001,svchost.exe,"{\r\n""multi"": ""line""}"\r\n' +
      ',ConnectionFound,wks-4,2023-10-18T15:43:50Z,203.0.113.9,,\r\n';
    const result = await collect(csv);
    expect(result.error).toBeNull();
    expect(result.source).toBe('defender-network-events');
    expect(result.rejects).toEqual([]);
    expect(
      result.events.map((e) => [
        e.line,
        e.ts,
        e.deviceId,
        e.deviceName,
        e.remoteIp,
        e.remotePort,
        e.direction,
        e.processFileName,
      ]),
    ).toEqual([
      [2, '2023-10-18T15:43:47.154945Z', 'wks-1', 'wks-1', '198.51.100.7', 9001, 'outbound', 'tor.exe'],
      [3, '2023-10-18T15:43:49.000000Z', 'wks-2', 'wks-2', null, 443, 'inbound', 'say "hi", world.exe'],
      [4, '2023-10-18T15:43:49.000000Z', 'wks-3', 'wks-3', '2001:db8::1', 53, 'listening', 'svchost.exe'],
      [6, '2023-10-18T15:43:50.000000Z', 'wks-4', 'wks-4', '203.0.113.9', null, 'unknown', null],
    ]);
    expect(result.events[0]).toMatchObject({
      localIp: null,
      processId: null,
      source: 'defender',
      actionType: 'ConnectionSuccess',
    });
  });

  it('stands in a stable row hash for a missing ReportId, and keeps a given one as text', async () => {
    const csv = `${SUBSET_HEADER}\r\n9001,ConnectionSuccess,wks-1,2023-10-18T15:43:47.1549452Z,198.51.100.7,tor.exe,\r\n`;
    const first = await collect(csv);
    const second = await collect(csv.replace('\r\n9001', '\n9001')); // other line ends, same row
    expect(first.events[0].reportId).toMatch(/^[0-9a-f]{64}$/);
    expect(second.events[0].reportId).toBe(first.events[0].reportId);
    // Pinned: changing it changes the identity of every stored event without a ReportId.
    expect(first.events[0].reportId).toBe('15ec8bdf4ef3461b650b7d328a151ce01939402128d9d1a7b03905183b6d5e62');
    const other = await collect(csv.replace('tor.exe', 'firefox.exe'));
    expect(other.events[0].reportId).not.toBe(first.events[0].reportId);
    const withId = await collect(
      'Timestamp,DeviceId,RemoteIP,ReportId\n2023-10-18T15:43:47Z,dev-1,1.2.3.4,12345\n2023-10-18T15:43:47Z,dev-1,1.2.3.4,\n',
    );
    expect(withId.events[0].reportId).toBe('12345');
    expect(withId.events[1].reportId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses DeviceName when DeviceId is absent or empty', async () => {
    const csv =
      'Timestamp,DeviceId,DeviceName,RemoteIP\n2023-10-18T15:43:47Z,,wks-9,1.2.3.4\n2023-10-18T15:43:47Z,abc,wks-9,1.2.3.4\n2023-10-18T15:43:47Z,,,1.2.3.4\n';
    const result = await collect(csv);
    expect(result.events.map((e) => e.deviceId)).toEqual(['wks-9', 'abc']);
    expect(result.rejects).toEqual([{ line: 4, field: 'DeviceId', reason: 'empty, and no DeviceName either' }]);
  });

  it('rejects bad values row by row with the first problem, and keeps the other rows', async () => {
    const csv = [
      'Timestamp,DeviceId,RemoteIP,RemotePort,LocalIP,LocalPort,InitiatingProcessId',
      '2023-10-18T15:43:47Z,d,10.0.0.300,443,10.0.0.1,5000,12',
      '2023-10-18T15:43:47Z,d,1.2.3.4,70000,10.0.0.1,5000,12',
      '2023-10-18T15:43:47Z,d,1.2.3.4,443,fe80::1%eth0,5000,12',
      'yesterday,d,1.2.3.4,443,10.0.0.1,5000,12',
      '2023-10-18T15:43:47Z,d,1.2.3.4,443,10.0.0.1,-1,12',
      '2023-10-18T15:43:47Z,d,1.2.3.4,443,10.0.0.1,5000,twelve',
      '2023-10-18T15:43:47Z,d,1.2.3.4,443,10.0.0.1,5000',
      '2023-10-18T15:43:47Z,d,1.2.3.4,443,10.0.0.1,5000,12,extra',
      ',d,1.2.3.4,443,10.0.0.1,5000,12',
      '2023-10-18T15:43:47Z,d,"1.2.3.4"x,443,10.0.0.1,5000,12',
      '2023-10-18T15:43:47Z,d,1.2.3.4,443,10.0.0.1,5000,12',
    ].join('\r\n');
    const result = await collect(csv);
    expect(result.rejects).toEqual([
      { line: 2, field: 'RemoteIP', reason: '"10.0.0.300" is not an IP address' },
      { line: 3, field: 'RemotePort', reason: '"70000" is not a port' },
      { line: 4, field: 'LocalIP', reason: '"fe80::1%eth0" is not an IP address' },
      { line: 5, field: 'Timestamp', reason: '"yesterday" is not a timestamp' },
      { line: 6, field: 'LocalPort', reason: '"-1" is not a port' },
      { line: 7, field: 'InitiatingProcessId', reason: '"twelve" is not a process id' },
      { line: 8, field: 'columns', reason: 'expected 7 columns, found 6' },
      { line: 9, field: 'columns', reason: 'expected 7 columns, found 8' },
      { line: 10, field: 'Timestamp', reason: 'empty' },
      { line: 11, field: 'RemoteIP', reason: 'unexpected text after a closing quote' },
    ]);
    expect(result.events.map((e) => e.line)).toEqual([12]);
    expect(result.rowsRead).toBe(11);
  });

  it('rejects a row holding a NUL character (PostgreSQL text cannot store it), past the binary sniff', async () => {
    const good = '2023-10-18T15:43:47Z,d,1.2.3.4,x\n'.repeat(200); // NULs in the first 4 KiB mean a binary file
    const csv =
      `Timestamp,DeviceId,RemoteIP,InitiatingProcessCommandLine\n${good}` +
      '2023-10-18T15:43:47Z,d\u0000,1.2.3.4,x\n2023-10-18T15:43:47Z,d,1.2.3.4,"a\u0000b"\n2023-10-18T15:43:47Z,服,1.2.3.4,x\n';
    const result = await collect(csv);
    expect(result.rejects).toEqual([
      { line: 202, field: 'DeviceId', reason: 'contains a NUL character' },
      { line: 203, field: 'InitiatingProcessCommandLine', reason: 'contains a NUL character' },
    ]);
    expect(result.events).toHaveLength(201);
  });

  it('rejects only the last record when a quote is left open at the end of the file', async () => {
    const csv =
      'Timestamp,DeviceId,RemoteIP,InitiatingProcessCommandLine\n' +
      '2023-10-18T15:43:47Z,d,1.2.3.4,"a ""quoted"" one"\n' +
      '2023-10-18T15:43:48Z,d,1.2.3.5,"never closed\n2023-10-18T15:43:49Z,d,1.2.3.6,x\n';
    const result = await collect(csv);
    expect(result.events.map((e) => e.processCommandLine)).toEqual(['a "quoted" one']);
    expect(result.rejects).toEqual([
      { line: 3, field: 'InitiatingProcessCommandLine', reason: 'unterminated quoted field at the end of the file' },
    ]);
  });

  it('refuses the file at a record over 1 MiB, quoted or not, without holding it (TORWATCH_MAX_RECORD_BYTES)', async () => {
    const huge = 'x'.repeat(1024 * 1024 + 1);
    for (const row of [`"${huge}"`, huge, `"${'x'.repeat(600_000)}",${'y'.repeat(600_000)}`]) {
      const csv =
        `Timestamp,DeviceId,RemoteIP,AdditionalFields,InitiatingProcessCommandLine\n2023-10-18T15:43:47Z,d,1.2.3.4,a,b\n` +
        `2023-10-18T15:43:47Z,d,1.2.3.4,${row}\n2023-10-18T15:43:47Z,d,1.2.3.4,"${'y'.repeat(1000)}",c\n`;
      const result = await collect(csv, { pieceSize: 100_000 });
      expect(result.error).toBeInstanceOf(IngestLimitError);
      expect(result.error?.message).toBe(
        'test.csv:3: a record longer than 1 MiB (TORWATCH_MAX_RECORD_BYTES); nothing was committed',
      );
    }
  });

  it('refuses a header wider than 512 columns (TORWATCH_MAX_HEADER_COLUMNS) with 422', async () => {
    const header = ['Timestamp', 'DeviceId', 'RemoteIP', ...Array.from({ length: 2997 }, (_, n) => `c${n}`)];
    const result = await collect(`${header.join(',')}\n`);
    expect(result.error?.message).toBe(
      'test.csv:1: the header has 3000 columns, more than 512 (TORWATCH_MAX_HEADER_COLUMNS); nothing was committed',
    );
    expect((result.error as IngestLimitError).status).toBe(422);
    expect((await collect(`${header.slice(0, 512).join(',')}\n2023-10-18T15:43:47Z,d,1.2.3.4\n`)).error).toBeNull();
  });

  it('counts physical lines through quoted line breaks, skips blank lines, and reads a last row without a newline', async () => {
    const csv =
      'Timestamp,DeviceId,RemoteIP,InitiatingProcessCommandLine\r\n\r\n' +
      '2023-10-18T15:43:47Z,d,1.2.3.4,"one\r\ntwo\nthree\rfour"\r\n\n' +
      '2023-10-18T15:43:48Z,d,1.2.3.5,x';
    const result = await collect(csv);
    expect(result.events.map((e) => [e.line, e.processCommandLine])).toEqual([
      [3, 'one\r\ntwo\nthree\rfour'],
      [8, 'x'],
    ]);
  });

  it('gives the same rows however the input is split', async () => {
    const csv =
      `\uFEFF${SUBSET_HEADER}\r\n` +
      '9001,ConnectionSuccess,wks-1,2023-10-18T15:43:47.1549452Z,::ffff:198.51.100.7,naïve-服务.exe,"{""a"":\r\n""b""}"\r\n' +
      '443,ConnectionFailed,wks-2,2023-10-18T15:43:48Z,,x,""\r' +
      '443,ConnectionFailed,wks-2,2023-10-18T15:43:48Z,1.2.3.4,"unterminated';
    const whole = await collect(csv);
    expect(whole.events).toHaveLength(2);
    expect(whole.rejects).toHaveLength(1);
    for (const pieceSize of [1, 2, 3, 5, 7, 13, 64]) {
      const split = await collect(csv, { pieceSize });
      expect({ events: split.events, rejects: split.rejects }).toEqual({
        events: whole.events,
        rejects: whole.rejects,
      });
    }
  });

  it('refuses a file without the columns it needs', async () => {
    const noTimestamp = await collect('DeviceId,RemoteIP,ActionType\nd,1.2.3.4,ConnectionSuccess\n', { file: 'a.csv' });
    expect(noTimestamp.error).toBeInstanceOf(IngestFormatError);
    expect(noTimestamp.error).toMatchObject({ file: 'a.csv', line: 1, field: 'Timestamp' });
    expect(noTimestamp.error?.message).toMatch(/^a\.csv:1: Timestamp: missing column/);

    const noDevice = await collect('Timestamp,RemoteIP\n2023-10-18T15:43:47Z,1.2.3.4\n');
    expect(noDevice.error).toMatchObject({ line: 1, field: 'DeviceId' });

    const deviceInfoAsEvents = await collect('Timestamp,DeviceId,PublicIP\n', { source: 'defender-network-events' });
    expect(deviceInfoAsEvents.error).toMatchObject({ field: 'RemoteIP' });

    const unknown = await collect('Nickname,Fingerprint,IPAddress\nx,y,1.2.3.4\n', { file: 'relays.csv' });
    expect(unknown.error).toBeInstanceOf(IngestFormatError);
    expect(unknown.error?.message).toMatch(/^relays\.csv:1: not a known telemetry format/);
    expect(unknown.rowsRead).toBe(0);
  });

  it('reads Log Analytics `[UTC]` headers, and says what to do with a semicolon-separated file', async () => {
    const utc = await collect('"Timestamp [UTC]",DeviceName,RemoteIP\n2023-10-18T15:43:47Z,wks-1,1.2.3.4\n');
    expect(utc.events.map((e) => e.ts)).toEqual(['2023-10-18T15:43:47.000000Z']);
    const excel = await collect('Timestamp;DeviceName;RemoteIP\r\n2023-10-18T15:43:47Z;wks-1;1.2.3.4\r\n', {
      file: 'x.csv',
    });
    expect(excel.error?.message).toBe(
      'x.csv:1: semicolon-separated header: export or save the file as comma-separated CSV',
    );
  });

  it('gives one empty chunk for a header-only file', async () => {
    const result = await collect('Timestamp,DeviceId,RemoteIP\r\n');
    expect(result).toMatchObject({ error: null, chunks: 1, rowsRead: 0, source: 'defender-network-events' });
  });

  it('reads the real-format sample: 3,000 rows, no rejects', async () => {
    const result = await collect(readFileSync(path.join(SAMPLES, 'DeviceNetworkEvents.csv')), { pieceSize: 4096 });
    expect(result.error).toBeNull();
    expect(result.rejects).toEqual([]);
    expect(result.events).toHaveLength(3000);
    expect(result.chunks).toBe(4); // three full chunks of 1,000 rows, then the end of the file (an empty chunk)
    expect(result.events[0]).toEqual({
      line: 2,
      ts: '2026-11-02T05:51:42.691502Z',
      deviceId: 'f41e619dc16bd7acb5cf116aaae23f4c3d26649f',
      deviceName: 'wks-0016.corp.example.com',
      actionType: 'ConnectionSuccess',
      direction: 'outbound',
      remoteIp: '214.58.152.69',
      remotePort: 443,
      remoteUrl: null,
      localIp: '10.242.121.35',
      localPort: 57661,
      protocol: 'Tcp',
      processFileName: 'tor.exe',
      processFolderPath: 'c:\\users\\alice\\desktop\\tor browser\\browser\\torbrowser\\tor\\tor.exe',
      processSha256: '73d6eb3ec41d41cc0db8d1875bd87b2d50b6aad9bdc4190b25d8e45ed5f4a710',
      processCommandLine: '"tor.exe" --flag "a,b"',
      processAccountName: 'alice',
      processId: 56670,
      reportId: '4',
      source: 'defender',
    });
    const remote = result.events.map((e) => e.remoteIp ?? '');
    expect(remote.some((ip) => ip.startsWith('::ffff:'))).toBe(false);
    expect(remote.filter((ip) => ip.includes(':')).every((ip) => !/(^|:)0[0-9a-f]/.test(ip))).toBe(true);
    expect(new Set(result.events.map((e) => e.direction))).toEqual(new Set(['outbound', 'inbound', 'unknown']));
  });
});

describe('Defender DeviceInfo CSV', () => {
  it('reads the real-format sample with the other columns as attributes', async () => {
    const result = await collect(readFileSync(path.join(SAMPLES, 'DeviceInfo.csv')));
    expect(result.error).toBeNull();
    expect(result.source).toBe('defender-device-info');
    expect(result.rejects).toEqual([]);
    expect(result.devices).toHaveLength(117);
    const first = result.devices[0];
    expect(first).toMatchObject({
      line: 2,
      ts: '2026-11-10T11:01:19.000000Z',
      deviceId: 'ddd465d5f672f18c2579687c4683a1ffca4c2908',
      deviceName: 'wks-0007.corp.example.com',
      publicIp: '92.174.161.202',
      osPlatform: 'Windows11',
      osVersion: '10.0',
      machineGroup: 'Finance, "EU"',
      reportId: '494329',
    });
    expect(first.attributes).toMatchObject({
      ClientVersion: '10.8760.26100.1234',
      LoggedOnUsers: '[{"UserName": "alice", "DomainName": "CORP", "Sid": "S-1-5-21-1"}]',
      AadDeviceId: null,
      IsInternetFacing: 'false',
    });
    expect(Object.keys(first.attributes)).toHaveLength(37 - 8);
  });

  it('rejects a bad PublicIP, keeps an empty one as null, and hashes a missing ReportId', async () => {
    const csv =
      'Timestamp,DeviceName,PublicIP,OSPlatform\n2023-10-18T15:43:47Z,wks-1,300.1.1.1,Windows11\n2023-10-18T15:43:47Z,wks-1,,Windows11\n';
    const result = await collect(csv);
    expect(result.rejects).toEqual([{ line: 2, field: 'PublicIP', reason: '"300.1.1.1" is not an IP address' }]);
    expect(result.devices).toMatchObject([{ line: 3, deviceId: 'wks-1', publicIp: null, osPlatform: 'Windows11' }]);
    expect(result.devices[0].reportId).toMatch(/^[0-9a-f]{64}$/);
  });
});
