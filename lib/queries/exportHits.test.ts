import { describe, expect, it } from 'vitest';
import { csvRow } from '@/lib/export/csv';
import { HIT_COLUMNS } from '@/lib/match/hitColumns';
import { HIT_EXPORT_COLUMNS, type HitExportRecord } from './exportHits';

describe('the hits export columns', () => {
  it('are the machine-output columns of DESIGN.md §4, in order, as `torwatch hits` prints them', () => {
    expect(HIT_EXPORT_COLUMNS.slice(0, 19)).toEqual([
      'Timestamp',
      'DeviceId',
      'DeviceName',
      'LocalPublicIP',
      'LocalIP',
      'RemoteIP',
      'RemotePort',
      'ActionType',
      'Direction',
      'InitiatingProcessFileName',
      'InitiatingProcessFolderPath',
      'RelayFingerprints',
      'RelayNicknames',
      'RelayFlags',
      'CountryCode',
      'PortMatch',
      'IsExit',
      'Confidence',
      'Status',
    ]);
    expect([...HIT_EXPORT_COLUMNS]).toEqual([...HIT_COLUMNS]);
  });

  it('write a row formula-safe, lists joined with ;, booleans as true/false, null empty', () => {
    const record: HitExportRecord = {
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
      Evidence: ['consensus', 'exit-list'],
    };
    expect(csvRow(HIT_EXPORT_COLUMNS.map((c) => record[c]))).toBe(
      `2026-11-20T12:00:00.123456Z,d1,"'=HYPERLINK(""http://x"")",,10.0.0.1,192.0.2.1,9001,ConnectionSuccess,outbound,'@SUM(A1),"C:\\a,b",A;B,n1;n2,,de,true,false,high,new,false,consensus;exit-list\r\n`,
    );
  });
});
