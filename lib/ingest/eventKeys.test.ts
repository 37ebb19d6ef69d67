import { describe, expect, it } from 'vitest';
import { commandKeyOf, monthOf, processKeyOf, reportNum } from './eventKeys';
import type { NetworkEventRecord } from './types';

const event = (over: Partial<NetworkEventRecord>): NetworkEventRecord => ({
  line: 2,
  ts: '2019-04-01T00:30:00.000000Z',
  deviceId: 'd1',
  deviceName: null,
  actionType: null,
  direction: 'outbound',
  remoteIp: null,
  remotePort: null,
  remoteUrl: null,
  localIp: null,
  localPort: null,
  protocol: null,
  processFileName: null,
  processFolderPath: null,
  processSha256: null,
  processCommandLine: null,
  processAccountName: null,
  processId: null,
  reportId: '1',
  source: 'defender',
  ...over,
});

describe('reportNum (the SQL function report_num, mirrored)', () => {
  it('stores canonical int8 decimals as numbers, and their text is the report id again', () => {
    for (const id of ['0', '7', '-12', '9223372036854775807', '-9223372036854775808']) {
      expect(reportNum(id)).toBe(id);
      expect(String(BigInt(reportNum(id)!))).toBe(id);
    }
  });
  it('keeps as text what a number would not give back exactly', () => {
    for (const id of ['007', '-0', '+5', '1e3', ' 1', '1 ', '9223372036854775808', '-9223372036854775809', 'abc', '']) {
      expect(reportNum(id)).toBeNull();
    }
  });
});

describe('dictionary keys', () => {
  it('a process or command with no value at all has no key; null and a value are told apart', () => {
    expect(processKeyOf(event({}))).toBeNull();
    expect(commandKeyOf(event({}))).toBeNull();
    const a = processKeyOf(event({ processFileName: 'tor.exe' }));
    const b = processKeyOf(event({ processFolderPath: 'tor.exe' }));
    expect(a).not.toBeNull();
    expect(a).not.toBe(b);
    expect(commandKeyOf(event({ processCommandLine: 'x' }))).not.toBe(commandKeyOf(event({ processAccountName: 'x' })));
  });
  it('the month of an event is its UTC month', () => {
    expect(monthOf('2019-03-31T23:59:59.999999Z')).toBe('2019-03');
  });
});
