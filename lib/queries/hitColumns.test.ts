import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRow } from '@/lib/export/csv';
import { COMPAT_COLUMNS, HIT_COLUMNS, type HitRecord } from './hitColumns';

// The column lists are a published contract (docs/architecture.md §9.3 and §7.6, which users' scripts follow): the
// test reads them from the document, so code and contract cannot drift apart and the list is stated once.
const architecture = readFileSync(path.join(import.meta.dirname, '../../docs/architecture.md'), 'utf8');
const section = (heading: string) => architecture.slice(architecture.indexOf(heading)).split(/\n### /)[0];
const names = (text: string) => text.split(',').map((name) => name.trim());

describe('the machine-output columns', () => {
  it('are the columns docs/architecture.md §9.3 publishes, in its order', () => {
    const listed = /```\n([\s\S]*?)```/.exec(section('### 9.3 Machine output of hits'))![1];
    expect([...HIT_COLUMNS]).toEqual(names(listed));
  });

  it('in compat mode are the KQL rule’s columns as §7.6 lists them, then HitId', () => {
    const listed = /Columns: `([^`]*)`, then `HitId`/.exec(section('### 7.6 Compat mode'))![1];
    expect([...COMPAT_COLUMNS]).toEqual([...names(listed), 'HitId']);
  });

  it('write a row formula-safe, lists joined with ;, booleans as true/false, null empty', () => {
    const record: HitRecord = {
      Timestamp: '2026-11-20T12:00:00.123456Z',
      DeviceId: 'd1',
      DeviceName: '=HYPERLINK("http://x")',
      LocalPublicIP: null,
      LocalIP: '10.0.0.1',
      RemoteIP: '192.0.2.1',
      RemotePort: 9001,
      ActionType: 'ConnectionSuccess',
      Direction: 'outbound',
      InitiatingProcessFileName: '@SUM(A1)',
      InitiatingProcessFolderPath: 'C:\\a,b',
      RelayFingerprints: ['A', 'B'],
      RelayNicknames: ['n1', 'n2'],
      RelayFlags: [],
      CountryCode: 'de',
      PortMatch: true,
      IsExit: false,
      Confidence: 'high',
      Status: 'new',
      ViaExitAddress: false,
      HitId: '42',
      Evidence: ['consensus', 'exit-list'],
      Precision: 'hour',
      Connections: 3,
      LastSeen: '2026-11-20T12:40:00.000000Z',
    };
    expect(csvRow(HIT_COLUMNS.map((c) => record[c]))).toBe(
      `2026-11-20T12:00:00.123456Z,d1,"'=HYPERLINK(""http://x"")",,10.0.0.1,192.0.2.1,9001,ConnectionSuccess,outbound,'@SUM(A1),"C:\\a,b","A;B","n1;n2",,de,true,false,high,new,false,42,"consensus;exit-list",hour,3,2026-11-20T12:40:00.000000Z\r\n`,
    );
  });
});
