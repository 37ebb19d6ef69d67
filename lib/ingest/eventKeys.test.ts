import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { COMPACT_EVENT_COLUMNS } from '@/lib/store/eventSql';
import { CopyValueError } from './copyText';
import { commandKeyOf, EventKeys, monthOf, processKeyOf, reportNum, transportKeyOf } from './eventKeys';
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

/**
 * A stand-in for the loader's connection: month partitions and devices answer with made-up keys, event_transport
 * with 10, 11, … in the order of the pairs asked for (which it records).
 */
function fakeClient(): { client: pg.ClientBase; asked: Array<[string[], Array<string | null>]> } {
  const asked: Array<[string[], Array<string | null>]> = [];
  const query = async (sql: string, params: unknown[] = []) => {
    if (sql.includes('event_transport')) {
      const [sources, protocols] = params as [string[], Array<string | null>];
      asked.push([sources, protocols]);
      return { rows: sources.map((s, i) => ({ s, p: protocols[i], v: 10 + asked.length * 100 + i })) };
    }
    if (sql.includes('INSERT INTO device ')) return { rows: (params[0] as string[]).map((k, i) => ({ k, v: i + 1 })) };
    return { rows: [] };
  };
  return { client: { query } as unknown as pg.ClientBase, asked };
}

describe('EventKeys: transports (source and protocol, docs/architecture.md §4.6)', () => {
  it('a transport is the source and the protocol, null apart from every string and case kept', () => {
    const keys = [
      transportKeyOf(event({ protocol: 'Tcp' })),
      transportKeyOf(event({ protocol: 'tcp' })),
      transportKeyOf(event({ protocol: null })),
      transportKeyOf(event({ protocol: '' })),
      transportKeyOf(event({ protocol: 'tcp', source: 'zeek' })),
      transportKeyOf(event({ protocol: null, source: 'zeek' })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(transportKeyOf(event({ protocol: 'Tcp', line: 9 }))).toBe(keys[0]);
  });

  it('learns each new pair once, then writes its key in the transport_key column and no protocol text', async () => {
    const { client, asked } = fakeClient();
    const keys = new EventKeys();
    const events = [
      event({ protocol: 'Tcp' }),
      event({ protocol: 'tcp', source: 'zeek', reportId: 'C1' }),
      event({ protocol: null, reportId: '2' }),
      event({ protocol: 'Tcp', reportId: '3' }),
      event({ protocol: 'odd\u0001\tx', reportId: '4' }),
    ];
    expect(keys.knows(events)).toBe(false);
    await keys.learn(client, events);
    expect(asked).toEqual([
      [
        ['d', 'z', 'd', 'd'],
        ['Tcp', 'tcp', null, 'odd\u0001\tx'],
      ],
    ]);
    expect(keys.knows(events)).toBe(true);
    await keys.learn(client, events); // nothing new: no query
    expect(asked).toHaveLength(1);

    const at = COMPACT_EVENT_COLUMNS.indexOf('transport_key');
    const columns = events.map((e) => keys.row(e, 7).replace(/\n$/, '').split('\t'));
    expect(columns.every((c) => c.length === COMPACT_EVENT_COLUMNS.length)).toBe(true);
    expect(columns.map((c) => c[at])).toEqual(['110', '111', '112', '110', '113']);
    expect(columns.map((c) => c[COMPACT_EVENT_COLUMNS.indexOf('direction')])).toEqual(['o', 'o', 'o', 'o', 'o']);
    expect(columns.some((c) => c.some((v) => /tcp|odd/i.test(v)))).toBe(false);

    // Another pair later: only that one is asked for.
    const udp = [event({ protocol: 'Udp', reportId: '5' })];
    expect(keys.knows(udp)).toBe(false);
    await keys.learn(client, udp);
    expect(asked[1]).toEqual([['d'], ['Udp']]);
    expect(keys.row(udp[0], 7).split('\t')[at]).toBe('210');
  });

  it('a protocol with a NUL character is a reject naming Protocol, and never reaches the dictionary', async () => {
    const { client, asked } = fakeClient();
    const keys = new EventKeys();
    const bad = event({ protocol: 'T\0cp' });
    await keys.learn(client, [bad]);
    expect(asked).toEqual([]);
    expect(() => keys.row(bad, 7)).toThrow(CopyValueError);
    expect(() => keys.row(bad, 7)).toThrow(expect.objectContaining({ field: 'Protocol' }));
  });
});
