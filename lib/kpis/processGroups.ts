import { Prisma } from '@/generated/prisma/client';

// Process groups for the managers' KPIs (issue 17). Tor Browser is recognised by its folder (its firefox.exe and its
// bundled tor.exe both live under "Tor Browser"), the tor daemon by its file name, other browsers by theirs;
// everything else — the worrying class — is "other". Lower-cased comparisons: Defender paths vary in case.
export const PROCESS_GROUPS = ['torBrowser', 'torDaemon', 'otherBrowser', 'other'] as const;
export type ProcessGroup = (typeof PROCESS_GROUPS)[number];

const TOR_BROWSER_FOLDER = /tor[ -]?browser/;
const TOR_DAEMON = ['tor', 'tor.exe'];
export const BROWSERS = [
  'chrome.exe',
  'msedge.exe',
  'firefox.exe',
  'brave.exe',
  'opera.exe',
  'vivaldi.exe',
  'iexplore.exe',
  'chromium',
  'chrome',
  'firefox',
  'safari',
  'brave',
  'opera',
];

/** The JS mirror of processGroupSql (tests hold them equal). */
export function processGroup(fileName: string | null, folderPath: string | null): ProcessGroup {
  const file = (fileName ?? '').toLowerCase();
  if (TOR_BROWSER_FOLDER.test((folderPath ?? '').toLowerCase())) return 'torBrowser';
  if (TOR_DAEMON.includes(file)) return 'torDaemon';
  if (BROWSERS.includes(file)) return 'otherBrowser';
  return 'other';
}

/** SQL over unqualified `hit` columns giving the group name (ILIKE: several times cheaper per row than a regex). */
export const processGroupSql = Prisma.sql`CASE
  WHEN process_folder_path ILIKE '%tor browser%' OR process_folder_path ILIKE '%tor-browser%'
    OR process_folder_path ILIKE '%torbrowser%' THEN 'torBrowser'
  WHEN lower(coalesce(process_file_name, '')) = ANY(${TOR_DAEMON}::text[]) THEN 'torDaemon'
  WHEN lower(coalesce(process_file_name, '')) = ANY(${BROWSERS}::text[]) THEN 'otherBrowser'
  ELSE 'other' END`;
