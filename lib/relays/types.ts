// The parsed shape of one relay feed document. Parsers are pure: the snapshot store (lib/relays, DB side) and the
// matcher consume these values and never re-parse the feed.

export type RelayFormat = 'torrelayips-csv' | 'onionoo' | 'exit-list' | 'bulk-exit-list';

/** `or` = ORPort address, `exit` = address seen exiting (port 0), `dir` = Onionoo dir_address. */
export type AddressKind = 'or' | 'exit' | 'dir';

/** One per fingerprint in the document, with its latest metadata. */
export interface RelayInfo {
  fingerprint: string; // 40 upper-case hex
  nickname: string | null;
  country: string | null; // lower-case ISO 3166-1 alpha-2
  flags: string[];
  asNumber: string | null;
  asName: string | null;
  hostnames: string[];
  firstSeen: Date | null;
  lastSeen: Date | null; // Onionoo last_seen; exit list LastStatus
  running: boolean | null;
  consensusWeight: number | null;
}

/**
 * One per listed address: a TorRelayIPs row (v1: per address in the row), an Onionoo or_addresses / exit_addresses /
 * dir_address entry, a TorDNSEL ExitAddress line or a bulk-list line. Identical (fingerprint, ip, port, kind) are
 * reported once per document.
 */
export interface RelayAddressObservation {
  fingerprint: string; // '' when the feed names no relay (bulk exit list)
  ip: string; // canonical (lib/net/ip.ts)
  port: number; // 0 when the feed gives none (exit addresses)
  kind: AddressKind;
  lastChanged: Date | null; // OR/dir only: IPLastChangeDate / last_changed_address_or_port
  observedAt: Date | null; // exit-list ExitAddress scan time; null = the snapshot's time
  hostname: string | null; // TorRelayIPs Hostname as written (may be several, space separated); Onionoo verified_host_names joined by ' '
  country: string | null; // lower case
}

/** A row-level problem: `line` is the physical line (CSV header = 1, record's first line) or null for JSON. */
export interface RelayReject {
  line: number | null;
  field: string; // a column name, or a JSON path such as `relays[17].or_addresses[1]`
  reason: string;
}

export interface ParsedRelayDocument {
  format: RelayFormat;
  publishedAt: Date | null; // Onionoo relays_published; exit list: latest Published; CSV/bulk: null
  relays: RelayInfo[];
  addresses: RelayAddressObservation[];
  rejects: RelayReject[]; // capped at 1000 entries
  rejectCount: number; // the true count
  /** Records read: CSV data rows, Onionoo relay objects, TorDNSEL ExitNode blocks, bulk-list address lines. */
  rowsRead: number;
}

/**
 * The document as a whole is unusable (empty, HTML, wrong header, broken JSON, unknown format). The message says
 * what a user can do about it; parseRelayDocument prefixes it with the file name or URL.
 */
export class RelayFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayFormatError';
  }
}
