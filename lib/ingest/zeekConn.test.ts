import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './__fixtures__/collect';
import { IngestLimitError } from './ingestLimits';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '__fixtures__', name), 'utf8');

const TSV_HEADER =
  '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\n';

describe('Zeek conn.log (TSV)', () => {
  it('reads rows, with the local endpoint as the device and the direction from local_orig or the address', async () => {
    const result = await collect(fixture('conn.log'), { file: 'conn.log' });
    expect(result.error).toBeNull();
    expect(result.source).toBe('zeek-conn');
    expect(result.events).toEqual([
      {
        line: 9,
        ts: '2023-11-14T22:13:20.123456Z',
        deviceId: '10.1.2.3',
        deviceName: null,
        actionType: 'zeek:SF',
        direction: 'outbound',
        remoteIp: '198.51.100.7',
        remotePort: 9001,
        remoteUrl: null,
        localIp: '10.1.2.3',
        localPort: 50123,
        protocol: 'tcp',
        processFileName: null,
        processFolderPath: null,
        processSha256: null,
        processCommandLine: null,
        processAccountName: null,
        processId: null,
        reportId: 'CAbcdEfghIjklMn01',
        source: 'zeek',
      },
      expect.objectContaining({
        line: 10,
        ts: '2023-11-14T22:13:21.000001Z',
        deviceId: '10.1.2.3',
        direction: 'inbound',
        actionType: 'zeek:S0',
        remoteIp: '203.0.113.50',
        remotePort: 443,
        localIp: '10.1.2.3',
        localPort: 8443,
        reportId: 'CAbcdEfghIjklMn02',
      }),
      // local_orig unset ('-'): a public originator is the remote side.
      expect.objectContaining({
        line: 11,
        ts: '2023-11-14T22:13:22.500000Z',
        deviceId: '192.168.1.20',
        direction: 'inbound',
        remoteIp: '2001:db8::7',
        remotePort: 443,
        protocol: 'udp',
      }),
    ]);
    expect(result.rejects).toEqual([
      { line: 12, field: 'id.resp_h', reason: '"10.0.0.300" is not an IP address' },
      { line: 13, field: 'columns', reason: 'expected 21 columns, found 4' },
    ]);
    expect(result.rowsRead).toBe(5);
  });

  it('reads logs one after another, each with its own header', async () => {
    const row = (uid: string) => `1700000000.5\t${uid}\t10.0.0.1\t1000\t1.2.3.4\t443\ttcp\tSF\n`;
    const text = `${TSV_HEADER}${row('C1')}#close\t2023\n${TSV_HEADER.replace('\tconn_state', '')}${row('C2').replace('\tSF', '')}`;
    const result = await collect(text);
    expect(result.events.map((e) => [e.reportId, e.actionType])).toEqual([
      ['C1', 'zeek:SF'],
      ['C2', null],
    ]);
  });

  it('refuses another Zeek log, a missing field, or data before #fields', async () => {
    const dns = await collect('#separator \\x09\n#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.resp_h\tquery\n', {
      file: 'dns.log',
    });
    expect(dns.error?.message).toBe('dns.log:2: #path: "dns" is not a conn log');
    const noUid = await collect('#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\n', { file: 'c.log' });
    expect(noUid.error).toMatchObject({ line: 2, field: 'uid' });
    const noFields = await collect('#separator \\x09\n1700000000.5\tC1\t10.0.0.1\t1000\t1.2.3.4\t443\n', {
      source: 'zeek-conn',
    });
    expect(noFields.error).toMatchObject({ line: 2, field: null });
  });
});

describe('Zeek conn.log (JSON lines)', () => {
  it('reads epoch and ISO times exactly, nested or dotted id keys, and rejects bad lines', async () => {
    const result = await collect(fixture('conn.json'), { file: 'conn.json' });
    expect(result.source).toBe('zeek-conn');
    expect(
      result.events.map((e) => [e.line, e.ts, e.deviceId, e.direction, e.remoteIp, e.remotePort, e.actionType]),
    ).toEqual([
      // 1700000000.1234565 is 1700000000.12345647… as a float: the written digits decide.
      [1, '2023-11-14T22:13:20.123457Z', '10.1.2.3', 'outbound', '198.51.100.7', 9001, 'zeek:SF'],
      [2, '2023-11-14T22:13:21.500000Z', '172.16.0.9', 'inbound', '198.51.100.8', 443, 'zeek:S0'],
      [3, '2023-11-14T22:13:22.000000Z', '10.9.9.9', 'outbound', '2001:db8::1', 443, null],
    ]);
    expect(result.rejects.map((r) => [r.line, r.field, r.reason.replace(/:.*$/, '')])).toEqual([
      [4, 'json', 'not a JSON object'],
      [5, 'id.resp_p', '"99999" is not a port'],
      [6, 'json', 'not valid JSON'],
    ]);
  });

  it('gives the same rows however the input is split', async () => {
    const text = fixture('conn.json') + '\n' + fixture('conn.json').replaceAll('\n', '\r\n');
    const whole = await collect(text);
    for (const pieceSize of [1, 3, 17]) {
      const split = await collect(text, { pieceSize });
      expect({ events: split.events, rejects: split.rejects }).toEqual({
        events: whole.events,
        rejects: whole.rejects,
      });
    }
  });

  it('rejects a line holding a NUL character, raw or escaped', async () => {
    const line = (uid: string, extra = '') =>
      `{"ts":1,"uid":"${uid}","id.orig_h":"10.0.0.1","id.resp_h":"1.2.3.4"${extra}}\n`;
    // Past the first 4 KiB, where a NUL means a binary file.
    const text = line('C0').repeat(100) + line('C1', ',"x":"a\\u0000"') + line('C2', ',"x":"a\u0000"') + line('C3');
    const result = await collect(text);
    expect(result.error).toBeNull();
    expect(result.rejects).toEqual([
      { line: 101, field: 'line', reason: 'contains a NUL character' },
      { line: 102, field: 'line', reason: 'contains a NUL character' },
    ]);
    expect(result.events).toHaveLength(101);
  });

  it('refuses the file at a line over 1 MiB, without holding it (TORWATCH_MAX_RECORD_BYTES)', async () => {
    const text =
      '{"ts":1,"uid":"C0","id.orig_h":"10.0.0.1","id.resp_h":"1.2.3.4"}\n' +
      `{"ts":1,"uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"1.2.3.4","pad":"${'x'.repeat(1024 * 1024)}"}\n` +
      '{"ts":1,"uid":"C2","id.orig_h":"10.0.0.1","id.resp_h":"1.2.3.4"}\n';
    const result = await collect(text, { pieceSize: 50_000 });
    expect(result.error).toBeInstanceOf(IngestLimitError);
    expect(result.error?.message).toBe(
      'test.csv:2: a record longer than 1 MiB (TORWATCH_MAX_RECORD_BYTES); nothing was committed',
    );
    expect((result.error as IngestLimitError).status).toBe(413);
  });

  it('refuses a #fields header wider than 512 columns (TORWATCH_MAX_HEADER_COLUMNS)', async () => {
    const fields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
    for (let n = fields.length; n < 3000; n++) fields.push(`extra${n}`);
    const result = await collect(`#separator \\x09\n#path\tconn\n#fields\t${fields.join('\t')}\n`);
    expect(result.error?.message).toMatch(
      /:3: the header has 3000 columns, more than 512 \(TORWATCH_MAX_HEADER_COLUMNS\)/,
    );
    expect((result.error as IngestLimitError).status).toBe(422);
  });
});
