// Defender Streaming API records as Defender writes them to storage: one JSON object per line.

const TENANT = '0f2c7a4e-1b3d-4c5e-9f60-7a8b9c0d1e2f';

/** DeviceNetworkEvents records `from` … `from + count - 1`; record i is at `start` + i seconds. */
export function networkRecords(
  from: number,
  count: number,
  start = Date.UTC(2026, 10, 30, 0),
  remoteIp?: string,
): string {
  let text = '';
  for (let i = from; i < from + count; i++) {
    const time = new Date(start + i * 1000).toISOString();
    text +=
      JSON.stringify({
        time,
        tenantId: TENANT,
        operationName: 'Publish',
        category: 'AdvancedHunting-DeviceNetworkEvents',
        properties: {
          Timestamp: time,
          DeviceId: `dev${(i % 97).toString().padStart(4, '0')}`,
          DeviceName: `wks-${i % 97}.corp.example.com`,
          ActionType: 'ConnectionSuccess',
          RemoteIP: remoteIp ?? `198.51.100.${i % 200}`,
          RemotePort: 9001,
          LocalIP: `10.0.${(i >> 8) & 255}.${i & 255}`,
          LocalPort: 50000 + (i % 10000),
          Protocol: 'Tcp',
          InitiatingProcessFileName: 'tor.exe',
          ReportId: i,
        },
      }) + '\n';
  }
  return text;
}

export function deviceInfoRecords(from: number, count: number, start = Date.UTC(2026, 10, 30, 0)): string {
  let text = '';
  for (let i = from; i < from + count; i++) {
    const time = new Date(start + i * 1000).toISOString();
    text +=
      JSON.stringify({
        time,
        tenantId: TENANT,
        category: 'AdvancedHunting-DeviceInfo',
        properties: {
          Timestamp: time,
          DeviceId: `dev${(i % 97).toString().padStart(4, '0')}`,
          DeviceName: `wks-${i % 97}.corp.example.com`,
          PublicIP: `203.0.113.${i % 250}`,
          OSPlatform: 'Windows11',
          ReportId: 100000 + i,
        },
      }) + '\n';
  }
  return text;
}

/** `tenantId=…/y=2026/m=11/d=30/h=05/m=00/PT1H.json` for an hour. */
export function hourBlob(hour: Date): string {
  const p = (n: number) => n.toString().padStart(2, '0');
  return `tenantId=${TENANT}/y=${hour.getUTCFullYear()}/m=${p(hour.getUTCMonth() + 1)}/d=${p(hour.getUTCDate())}/h=${p(hour.getUTCHours())}/m=00/PT1H.json`;
}
