import { describe, expect, it } from 'vitest';
import { csvRow } from '@/lib/export/csv';
import { COMPAT_COLUMNS, HIT_COLUMNS, type HitRecord } from './hitColumns';

describe('the machine-output columns', () => {
  it('are the columns of docs/architecture.md §9.3 in order, then ViaExitAddress, HitId, Evidence, Precision, Connections and LastSeen', () => {
    expect([...HIT_COLUMNS]).toEqual([
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
      'ViaExitAddress',
      'HitId',
      'Evidence',
      'Precision',
      'Connections',
      'LastSeen',
    ]);
  });

  it('in compat mode are the KQL rule’s columns in its order, then HitId', () => {
    expect([...COMPAT_COLUMNS]).toEqual([
      'Timestamp',
      'DeviceId',
      'LocalPublicIP',
      'LocalIP',
      'RemoteIP',
      'TorIP',
      'Hostname',
      'CountryCode',
      'ActionType',
      'InitiatingProcessFileName',
      'InitiatingProcessFolderPath',
      'HitId',
    ]);
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
