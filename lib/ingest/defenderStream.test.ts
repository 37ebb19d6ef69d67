import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '__fixtures__', name), 'utf8');

const record = (properties: object, category = 'AdvancedHunting-DeviceNetworkEvents', time = '2023-10-18T15:43:47Z') =>
  JSON.stringify({ time, tenantId: 't', operationName: 'Publish', category, properties });
const network = {
  Timestamp: '2023-10-18T15:43:47Z',
  DeviceId: 'dev-1',
  ActionType: 'ConnectionSuccess',
  RemoteIP: '1.2.3.4',
  RemotePort: 443,
  ReportId: 1,
};

describe('Defender Streaming API', () => {
  it('reads a pretty-printed Event Hub message record by record, skipping other categories', async () => {
    const result = await collect(fixture('stream-message.json'), { file: 'message.json' });
    expect(result.error).toBeNull();
    expect(result.source).toBe('defender-stream');
    expect(result.rejects).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.rowsRead).toBe(3);
    expect(result.events).toEqual([
      {
        line: 3,
        ts: '2023-10-18T15:43:47.154945Z',
        deviceId: 'f41e619dc16bd7acb5cf116aaae23f4c3d26649f',
        deviceName: 'wks-0016.corp.example.com',
        actionType: 'ConnectionSuccess',
        direction: 'outbound',
        remoteIp: '198.51.100.7',
        remotePort: 9001,
        remoteUrl: null,
        localIp: '10.242.121.35',
        localPort: 57661,
        protocol: 'Tcp',
        processFileName: 'tor.exe',
        processFolderPath: 'c:\\users\\alice\\desktop\\tor browser\\browser\\torbrowser\\tor\\tor.exe',
        processSha256: null,
        processCommandLine: '"tor.exe" --flag "a,b" {}[]',
        processAccountName: 'alice',
        processId: 56670,
        reportId: '9007199254740993', // past 2^53: taken from the text, not the float
        source: 'defender',
      },
    ]);
    expect(result.devices).toEqual([
      {
        line: 35,
        ts: '2023-10-18T15:45:00.000000Z', // Timestamp null: the record's time
        deviceId: 'f41e619dc16bd7acb5cf116aaae23f4c3d26649f',
        deviceName: 'wks-0016.corp.example.com',
        publicIp: '92.174.161.202',
        osPlatform: 'Windows11',
        osVersion: '10.0',
        machineGroup: 'Finance, "EU"',
        reportId: '494329',
        attributes: {
          IsAzureADJoined: true,
          OSBuild: 26100,
          LoggedOnUsers: '[{"UserName":"alice"}]',
          AadDeviceId: null,
        },
      },
    ]);
  });

  it('reads a storage blob, one record per line', async () => {
    const result = await collect(fixture('stream-blob.jsonl'));
    expect(result.source).toBe('defender-stream');
    expect(result.events).toMatchObject([
      {
        line: 1,
        direction: 'inbound',
        remoteIp: '2001:db8::1',
        remotePort: 51000,
        localPort: 443,
        processFileName: null,
        reportId: '17',
      },
    ]);
    expect(result.skipped).toBe(1);
    expect(result.rejects).toEqual([{ line: 3, field: 'RemoteIP', reason: '"10.0.0.300" is not an IP address' }]);
  });

  it('reads one message per line, and several pretty-printed messages in a row', async () => {
    const perLine = [1, 2]
      .map((n) => `{"records":[${record({ ...network, ReportId: n })},${record({ ...network, ReportId: n + 10 })}]}`)
      .join('\n');
    const lines = await collect(perLine);
    expect(lines.events.map((e) => [e.line, e.reportId])).toEqual([
      [1, '1'],
      [1, '11'],
      [2, '2'],
      [2, '12'],
    ]);
    const pretty = [1, 2]
      .map((n) => JSON.stringify({ records: [JSON.parse(record({ ...network, ReportId: n }))] }, null, 2))
      .join('\n');
    const documents = await collect(pretty);
    expect(documents.rejects).toEqual([]);
    expect(documents.events.map((e) => e.reportId)).toEqual(['1', '2']);
  });

  it('rejects a line that is not JSON or not an object, one reject per line, and keeps the rest', async () => {
    const text = [
      record(network),
      'not json at all',
      '[1, 2, 3]',
      '42',
      '{"records": [1, {"category": "AdvancedHunting-DeviceNetworkEvents"}]}',
      '{"time": "2023-10-18T15:43:47Z", "properties": {}}',
      '{"category": "AdvancedHunting-DeviceNetworkEvents", "properties": {"RemoteIP": "1.2.3.4", "a": tru}}',
      '{"category": "AdvancedHunting-DeviceNetworkEvents", "properties": {"note": "unterminated}}',
      '{"category": "AdvancedHunting-DeviceNetworkEvents", "properties": {',
      record({ ...network, ReportId: 2 }),
    ].join('\r\n');
    const result = await collect(text);
    expect(result.events.map((e) => [e.line, e.reportId])).toEqual([
      [1, '1'],
      [10, '2'],
    ]);
    expect(result.rejects.map((r) => [r.line, r.field, r.reason.replace(/:.*$/, '')])).toEqual([
      [2, 'json', 'not a JSON object'],
      [3, 'json', 'not a JSON object (an array)'],
      [4, 'json', 'not a JSON object'],
      [5, 'json', 'record is not a JSON object'],
      [5, 'properties', 'missing or not an object'],
      [6, 'category', 'missing'],
      [7, 'json', 'not valid JSON'],
      [8, 'json', 'line break inside a JSON string'],
      [9, 'json', 'JSON object not closed on its line'],
    ]);
  });

  it('rejects a record holding an escaped NUL character', async () => {
    const text = `${record(network)}\n${record({ ...network, DeviceName: 'a\u0000b' })}\n`;
    const result = await collect(text);
    expect(result.events).toHaveLength(1);
    expect(result.rejects).toEqual([{ line: 2, field: 'json', reason: 'contains a NUL character (\\u0000)' }]);
  });

  it('gives the same records however the input is split', async () => {
    const text =
      fixture('stream-message.json') +
      '\n' +
      fixture('stream-blob.jsonl') +
      'garbage\n' +
      record({ ...network, InitiatingProcessCommandLine: 'a \\"quoted\\" \\\\ path "with" {braces}' });
    const whole = await collect(text);
    expect(whole.events).toHaveLength(3);
    for (const pieceSize of [1, 2, 3, 7, 64]) {
      const split = await collect(text, { pieceSize });
      expect({ events: split.events, rejects: split.rejects, skipped: split.skipped }).toEqual({
        events: whole.events,
        rejects: whole.rejects,
        skipped: whole.skipped,
      });
    }
  });

  it('rejects a pretty-printed document that never closes, after yielding its complete records', async () => {
    const text = fixture('stream-message.json').split('\n').slice(0, 40).join('\n'); // cut inside the third record
    const result = await collect(text);
    expect(result.events).toHaveLength(1);
    expect(result.skipped).toBe(1);
    expect(result.rejects).toEqual([{ line: 1, field: 'json', reason: 'JSON not closed at the end of the file' }]);
  });
});
