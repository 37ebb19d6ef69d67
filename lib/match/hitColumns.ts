// Machine output of hits (DESIGN.md §4 "Machine output of hits"): column names and order are a contract that users'
// scripts rely on. ViaExitAddress (the hit rests only on an exit address) and Evidence (consensus;
// exit-list;snapshot: what the hit rests on) follow the documented columns.
export const HIT_COLUMNS = [
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
  'Evidence',
] as const;

export const COMPAT_COLUMNS = [
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
] as const;

export type HitRecord = Record<(typeof HIT_COLUMNS)[number], string | number | boolean | string[] | null>;
export type CompatRecord = Record<(typeof COMPAT_COLUMNS)[number], string | null>;
