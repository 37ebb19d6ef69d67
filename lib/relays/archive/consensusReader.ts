import { canonicalIp } from '@/lib/net/ip';
import type { RelayReject } from '../types';
import { ConsensusHistory, HOUR_MS, type PendingListing } from './consensusHistory';

// A streaming parser of one consensus document (dir-spec §3.4.1; both flavours): fed in chunks, it keeps only the
// current line and the document's pending listings (small integers), never the text. Signatures are not verified.
//   r <nickname> <identity> [<digest>] <published date> <time> <IPv4> <ORPort> <DirPort>   (no digest: microdesc)
//   a [<IPv6>]:<port> | <IPv4>:<port>      s <flags>       (v, pr, w, p, m lines are not needed)
// A malformed r or a line is skipped and counted with its line number; the document as a whole is refused when it
// has no valid-after or ends before its directory-footer (truncated).

const MAX_REJECTS = 1000;

export type DocumentOutcome =
  { ok: true; validAfter: Date; relays: number; rejected: number } | { ok: false; reason: string; rejected: number };

export class ConsensusReader {
  private partial: Buffer | null = null;
  private line = 0;
  private hour: number | null = null;
  private validAfter: Date | null = null;
  private broken: string | null = null;
  private footer = false;
  private readonly pending: PendingListing[] = [];
  private current: PendingListing | null = null; // the entry whose a/s lines follow
  private readonly extra: PendingListing[] = []; // the entry's `a` listings
  private currentIdentity = '';
  private currentNickname = '';
  private relays = 0;
  rejected = 0;

  constructor(
    private readonly history: ConsensusHistory,
    private readonly flavour: 'ns' | 'microdesc',
    private readonly rejects: RelayReject[],
    private readonly caches: ParseCaches,
  ) {}

  feed(chunk: Buffer): void {
    if (this.broken) return;
    // Lines are found in the bytes; only the few kinds needed become (small) strings — converting whole chunks would
    // allocate ~2 GB of large strings a month, which V8 collects late (hundreds of MB of RSS).
    let start = 0;
    if (this.partial) {
      const newline = chunk.indexOf(10);
      if (newline < 0) {
        this.partial = Buffer.concat([this.partial, chunk]);
        return;
      }
      const line = Buffer.concat([this.partial, chunk.subarray(0, newline)]);
      this.partial = null;
      this.lineOf(line, 0, line.length);
      start = newline + 1;
    }
    for (;;) {
      if (this.broken) return;
      const end = chunk.indexOf(10, start);
      if (end < 0) break;
      this.lineOf(chunk, start, end);
      start = end + 1;
    }
    if (start < chunk.length) this.partial = Buffer.from(chunk.subarray(start)); // a copy: the chunk is not ours
  }

  /** One line of `bytes[start, end)`: most lines (v, pr, w, p, m) are counted, never decoded. */
  private lineOf(bytes: Buffer, start: number, end: number): void {
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    const c0 = bytes[start];
    const c1 = stop - start > 1 ? bytes[start + 1] : 0;
    const needed =
      c1 === 32 ? c0 === 114 /* r */ || c0 === 97 /* a */ || c0 === 115 /* s */ : this.relays === 0 || c0 === 100; // d
    if (needed) this.readLine(bytes.toString('latin1', start, stop));
    else this.line++;
  }

  /** Ends the document: commits its listings to the history, or reports why nothing of it was kept. */
  end(): DocumentOutcome {
    if (!this.broken && this.partial) this.lineOf(this.partial, 0, this.partial.length);
    this.partial = null;
    if (!this.broken && !this.validAfter) this.broken = 'no valid-after line';
    if (!this.broken && !this.footer) this.broken = 'ends before its directory-footer (truncated?)';
    if (this.broken) return { ok: false, reason: this.broken, rejected: this.rejected };
    this.history.commitDocument(this.hour!, this.flavour, this.relays, this.pending);
    return { ok: true, validAfter: this.validAfter!, relays: this.relays, rejected: this.rejected };
  }

  private readLine(line: string): void {
    this.line++;
    const c0 = line.charCodeAt(0);
    const c1 = line.charCodeAt(1);
    if (c1 === 32 /* ' ' */) {
      if (c0 === 114 /* r */) this.readRelay(line);
      else if (c0 === 97 /* a */) this.readAddress(line);
      else if (c0 === 115 /* s */) this.readFlags(line);
      return;
    }
    if (this.relays > 0) {
      if (line === 'directory-footer') this.footer = true;
      return;
    }
    if (line.startsWith('valid-after ')) {
      const time = /^valid-after (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(line);
      const date = time ? new Date(`${time[1]}T${time[2]}Z`) : null;
      if (!date || Number.isNaN(date.getTime())) {
        this.broken = `line ${this.line}: valid-after "${line.slice(12)}" is not a time`;
        return;
      }
      this.validAfter = date;
      this.hour = Math.floor(date.getTime() / HOUR_MS);
    } else if (line === 'directory-footer') this.footer = true;
  }

  private readRelay(line: string): void {
    this.current = null;
    this.extra.length = 0;
    if (this.hour === null) {
      this.broken = `no valid-after line before the first relay entry (line ${this.line})`;
      return;
    }
    // r <nickname> <identity> [<digest>] <date> <time> <IPv4> <ORPort> <DirPort>: the identity and the last three
    // fields name the address key; a key seen before (nearly every entry of a month) is found without parsing.
    const nickEnd = line.indexOf(' ', 2);
    const identityEnd = nickEnd < 0 ? -1 : line.indexOf(' ', nickEnd + 1);
    const dirSpace = line.lastIndexOf(' ');
    const orSpace = dirSpace > 0 ? line.lastIndexOf(' ', dirSpace - 1) : -1;
    const ipSpace = orSpace > 0 ? line.lastIndexOf(' ', orSpace - 1) : -1;
    if (identityEnd < 0 || ipSpace <= identityEnd) {
      this.reject('r', `has too few fields`);
      return;
    }
    const identity = line.slice(nickEnd + 1, identityEnd);
    const rawKey = `${identity} ${line.slice(ipSpace + 1)}`;
    let cached = this.caches.relayKeys.get(rawKey);
    if (cached === undefined) {
      const parsed = this.parseRelayKey(line, identity);
      if (typeof parsed === 'string') {
        this.reject('r', parsed);
        return;
      }
      this.caches.relayKeys.set(rawKey, (cached = parsed));
    }
    this.relays++;
    this.currentIdentity = identity;
    this.currentNickname = line.slice(2, nickEnd);
    this.current = { key: cached.key, flags: 0, nickname: this.currentNickname };
    this.pending.push(this.current);
  }

  private parseRelayKey(line: string, identity: string): { key: number; fingerprint: string } | string {
    const fields = line.split(' ');
    const expected = this.flavour === 'ns' ? 9 : 8;
    if (fields.length !== expected) return `has ${fields.length - 1} fields, expected ${expected - 1}`;
    const fingerprint = this.caches.fingerprint(identity);
    if (!fingerprint) return `identity "${identity}" is not the base64 of a 20-byte fingerprint`;
    const at = fields.length - 3;
    const ip = this.caches.ipv4(fields[at]);
    if (!ip) return `address "${fields[at]}" is not an IPv4 address`;
    const orPort = port(fields[at + 1]);
    if (!orPort) return `port "${fields[at + 1]}" is not a port number`;
    if (port(fields[at + 2]) === null) return `port "${fields[at + 2]}" is not a port number`;
    return { key: this.history.keyId(fingerprint, ip, orPort), fingerprint };
  }

  private readAddress(line: string): void {
    if (!this.current) return; // belongs to a skipped entry
    const rawKey = `${this.currentIdentity} a ${line}`;
    let key = this.caches.addressKeys.get(rawKey);
    if (key === undefined) {
      const text = line.slice(2);
      const colon = text.lastIndexOf(':');
      const ip = colon > 0 ? this.caches.ip(text.slice(0, colon)) : null;
      const orPort = colon > 0 ? port(text.slice(colon + 1)) : null;
      if (!ip || !orPort) {
        this.reject('a', `"${text}" is not an address and port`);
        return;
      }
      key = this.history.keyId(this.caches.fingerprint(this.currentIdentity)!, ip, orPort);
      this.caches.addressKeys.set(rawKey, key);
    }
    const listing = { key, flags: 0, nickname: this.currentNickname };
    this.pending.push(listing);
    this.extra.push(listing); // its flags come with the entry's s line, below
  }

  private readFlags(line: string): void {
    if (!this.current) return;
    const flags = this.history.flagsOf(line);
    this.current.flags = flags;
    for (const listing of this.extra) listing.flags = flags;
    this.extra.length = 0;
  }

  private reject(field: string, reason: string): void {
    this.rejected++;
    this.current = null;
    this.extra.length = 0;
    if (this.rejects.length < MAX_REJECTS) this.rejects.push({ line: this.line, field, reason });
  }
}

function port(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const value = Number(text);
  return value <= 65535 ? value : null;
}

/** Identity → fingerprint and address text → canonical address, cached across the documents of a batch. */
export class ParseCaches {
  /** `<identity> <IPv4> <ORPort> <DirPort>` of an r line → its address key. */
  readonly relayKeys = new Map<string, { key: number; fingerprint: string }>();
  /** `<identity> a <a line>` → its address key. */
  readonly addressKeys = new Map<string, number>();
  private readonly fingerprints = new Map<string, string | null>();
  private readonly addresses = new Map<string, string | null>();

  fingerprint(identity: string): string | null {
    let value = this.fingerprints.get(identity);
    if (value === undefined) {
      const bytes = /^[A-Za-z0-9+/]{27}=?$/.test(identity) ? Buffer.from(identity, 'base64') : null;
      value = bytes && bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null;
      this.fingerprints.set(detach(identity), value);
    }
    return value;
  }

  ip(text: string): string | null {
    let value = this.addresses.get(text);
    if (value === undefined) {
      value = canonicalIp(text);
      this.addresses.set(detach(text), value);
    }
    return value;
  }

  ipv4(text: string): string | null {
    const value = this.ip(text);
    return value && !value.includes(':') ? value : null;
  }
}

/**
 * A copy of a string cut from a document chunk that no longer points into the chunk: V8 keeps a substring as a view
 * of its parent, so a cached substring would keep a whole megabyte of consensus text alive.
 */
export function detach(text: string): string {
  return (' ' + text).slice(1);
}
