// Machine output of hits (docs/architecture.md §9.3): column names and order are a contract that users'
// scripts rely on; new columns only ever go at the end. ViaExitAddress (the hit rests only on an exit address) follows
// the documented columns, then HitId (what PATCH /api/v1/hits/{id} takes), then Evidence (what the hit rests on:
// consensus history, a snapshot list, an exit list — relay history, README), then Precision (`event`: the event's own
// time; `hour`: from an hourly summary, after retention dropped the raw events — §16.3), Connections (1 for an event;
// the summary's count) and LastSeen (the last connection: the Timestamp for an event).
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
  'HitId',
  'Evidence',
  'Precision',
  'Connections',
  'LastSeen',
] as const;

// `hits --compat`: the KQL rule's columns in its order, then HitId (empty when the default match made no hit of the
// event).
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
  'HitId',
] as const;

export type HitColumn = (typeof HIT_COLUMNS)[number];
export type CompatColumn = (typeof COMPAT_COLUMNS)[number];
export type HitRecord = Record<HitColumn, string | number | boolean | string[] | null>;
export type CompatRecord = Record<CompatColumn, string | null>;
