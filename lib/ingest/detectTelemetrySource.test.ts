import { describe, expect, it } from 'vitest';
import { detectTelemetrySource } from './detectTelemetrySource';

describe('detectTelemetrySource', () => {
  it.each([
    ['Timestamp,DeviceId,DeviceName,ActionType,RemoteIP\r\n2023-…', 'defender-network-events'],
    ['\uFEFF"RemoteIP","Timestamp","DeviceName"\n', 'defender-network-events'],
    ['Timestamp,DeviceId,DeviceName,PublicIP,OSPlatform\n', 'defender-device-info'],
    ['timestamp,deviceid,osplatform\n', 'defender-device-info'],
    ['#separator \\x09\n#set_separator\t,\n', 'zeek-conn'],
    ['#fields\tts\tuid\tid.orig_h\n', 'zeek-conn'],
    ['{"ts":1700000000.1,"uid":"CAbc","id.orig_h":"10.0.0.1","id.orig_p":1}\n', 'zeek-conn'],
    ['{"ts":"2023-11-14T22:13:20Z","uid":"CAbc","id":{"orig_h":"10.0.0.1"}}\n', 'zeek-conn'],
    ['{"records":[{"time":"2023-10-18T15:43:47Z"', 'defender-stream'],
    ['{\n  "records": [\n', 'defender-stream'],
    ['{"time":"2023-10-18T15:43:47Z","category":"AdvancedHunting-DeviceInfo","properties":{}}\n', 'defender-stream'],
  ] as const)('%j → %s', (head, expected) => expect(detectTelemetrySource(head)).toBe(expected));

  it.each([
    '',
    'hello world',
    'Nickname,Fingerprint,EntryAddress,IPAddress\n',
    '{"foo":1}\n',
    'Timestamp,DeviceId\n',
    '\u0000\u0001binary',
  ])('%j → null', (head) => expect(detectTelemetrySource(head)).toBeNull());
});
