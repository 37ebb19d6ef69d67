import { confidenceRankSql } from './confidenceRank';
import {
  keysetOrderSql,
  parsePageRequest,
  type KeysetOrder,
  type PageRequest,
  type SortKey,
} from '@/lib/queries/keyset';

// Sorting of the hits table: the allowlist of sort expressions (columns qualified: the select list renames id and ts
// to text, and an unqualified ORDER BY name would sort by that output column). Keyset paging: lib/queries/keyset.ts.
export const HIT_SORT_KEYS = {
  ts: { sql: 'hit.ts', cast: 'timestamptz', label: 'Time' },
  device: { sql: 'coalesce(hit.device_name, hit.device_id)', cast: 'text', label: 'Device' },
  process: { sql: "coalesce(hit.process_file_name, '')", cast: 'text', label: 'Process' },
  remoteIp: { sql: 'hit.remote_ip', cast: 'inet', label: 'Remote IP' },
  remotePort: { sql: 'coalesce(hit.remote_port, -1)', cast: 'int', label: 'Port' },
  country: { sql: "coalesce(hit.country, '')", cast: 'text', label: 'Country' },
  action: { sql: "coalesce(hit.action_type, '')", cast: 'text', label: 'Action' },
  direction: { sql: 'hit.direction', cast: 'text', label: 'Direction' },
  confidence: {
    sql: confidenceRankSql('hit.confidence'),
    cast: 'int',
    label: 'Confidence',
  },
  status: { sql: 'hit.status', cast: 'text', label: 'Status' },
} as const satisfies Record<string, SortKey & { label: string }>;
export type HitSortKey = keyof typeof HIT_SORT_KEYS;

export type HitPageRequest = PageRequest<HitSortKey>;

/** sort, dir, after, before and size from the URL (defaults: newest first, 50 a page). */
export function parseHitPage(params: Parameters<typeof parsePageRequest>[0]): HitPageRequest {
  return parsePageRequest(params, HIT_SORT_KEYS, 'ts');
}

/** The ORDER BY and keyset condition for a page; `reverse` walks backwards (for "previous page"). */
export function hitOrderSql(page: HitPageRequest): KeysetOrder {
  return keysetOrderSql('hit', HIT_SORT_KEYS, page);
}
