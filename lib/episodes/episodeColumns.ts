import { ISO_MICROS_SQL } from '@/lib/db/isoMicros';

// The machine output of episodes (CLI `torwatch episodes`, GET /api/v1/episodes, the Episodes page export): these
// columns in this order; CSV formula-safe with lists joined by ';', JSON with typed values. Times ISO UTC, microseconds.
export const EPISODE_COLUMNS = [
  'EpisodeId',
  'DeviceId',
  'DeviceName',
  'ProcessFileName',
  'FirstSeen',
  'LastSeen',
  'Hits',
  'RelayFingerprints',
  'CountryCodes',
  'MaxConfidence',
  'IsExit',
  'Status',
] as const;

export type EpisodeRecord = {
  EpisodeId: string;
  DeviceId: string;
  DeviceName: string | null;
  ProcessFileName: string | null;
  FirstSeen: string;
  LastSeen: string;
  Hits: number;
  RelayFingerprints: string[];
  CountryCodes: string[];
  MaxConfidence: string;
  IsExit: boolean;
  Status: string;
};

/** The select list for EpisodeRecord over an `episode` alias. */
export const episodeRecordSql = (e: string) => `${e}.id::text AS "EpisodeId", ${e}.device_id AS "DeviceId",
  ${e}.device_name AS "DeviceName", ${e}.process_file_name AS "ProcessFileName",
  ${ISO_MICROS_SQL(`${e}.first_seen`)} AS "FirstSeen", ${ISO_MICROS_SQL(`${e}.last_seen`)} AS "LastSeen",
  ${e}.hit_count AS "Hits", ${e}.relay_fingerprints AS "RelayFingerprints", ${e}.country_codes AS "CountryCodes",
  ${e}.max_confidence AS "MaxConfidence", ${e}.is_exit AS "IsExit", ${e}.status AS "Status"`;
