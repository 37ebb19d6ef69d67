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
  private partial = '';
  private line = 0;
  private hour: number | null = null;
  private validAfter: Date | null = null;
  private broken: string | null = null;
  private footer = false;
  private readonly pending: PendingListing[] = [];
  private current: PendingListing | null = null; // the entry whose a/s lines follow
  private readonly extra: PendingListing[] = []; // the entry's `a` listings
  private currentFingerprint = '';
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
    const text = this.partial + chunk.toString('latin1');
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      this.readLine(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
      if (this.broken) return;
      start = end + 1;
    }
    this.partial = text.slice(start);
  }

  /** Ends the document: commits its listings to the history, or reports why nothing of it was kept. */
  end(): DocumentOutcome {
    if (!this.broken && this.partial) this.readLine(this.partial);
    this.partial = '';
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
    const fields = line.split(' ');
    const withDigest = this.flavour === 'ns';
    if (fields.length !== (withDigest ? 9 : 8)) {
      this.reject('r', `has ${fields.length - 1} fields, expected ${withDigest ? 8 : 7}`);
      return;
    }
    const fingerprint = this.caches.fingerprint(fields[2]);
    if (!fingerprint) {
      this.reject('r', `identity "${fields[2]}" is not the base64 of a 20-byte fingerprint`);
      return;
    }
    const at = withDigest ? 6 : 5;
    const ip = this.caches.ipv4(fields[at]);
    if (!ip) {
      this.reject('r', `address "${fields[at]}" is not an IPv4 address`);
      return;
    }
    const orPort = port(fields[at + 1]);
    if (!orPort || port(fields[at + 2]) === null) {
      this.reject('r', `port "${orPort ? fields[at + 2] : fields[at + 1]}" is not a port number`);
      return;
    }
    this.relays++;
    this.currentFingerprint = fingerprint;
    this.currentNickname = fields[1];
    this.current = { key: this.history.keyId(fingerprint, ip, orPort), flags: 0, nickname: fields[1] };
    this.pending.push(this.current);
  }

  private readAddress(line: string): void {
    if (!this.current) return; // belongs to a skipped entry
    const text = line.slice(2);
    const colon = text.lastIndexOf(':');
    const ip = colon > 0 ? this.caches.ip(text.slice(0, colon)) : null;
    const orPort = colon > 0 ? port(text.slice(colon + 1)) : null;
    if (!ip || !orPort) {
      this.reject('a', `"${text}" is not an address and port`);
      return;
    }
    const listing = {
      key: this.history.keyId(this.currentFingerprint, ip, orPort),
      flags: 0,
      nickname: this.currentNickname,
    };
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
  private readonly fingerprints = new Map<string, string | null>();
  private readonly addresses = new Map<string, string | null>();

  fingerprint(identity: string): string | null {
    let value = this.fingerprints.get(identity);
    if (value === undefined) {
      const bytes = /^[A-Za-z0-9+/]{27}=?$/.test(identity) ? Buffer.from(identity, 'base64') : null;
      value = bytes && bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null;
      this.fingerprints.set(identity, value);
    }
    return value;
  }

  ip(text: string): string | null {
    let value = this.addresses.get(text);
    if (value === undefined) {
      value = canonicalIp(text);
      this.addresses.set(text, value);
    }
    return value;
  }

  ipv4(text: string): string | null {
    const value = this.ip(text);
    return value && !value.includes(':') ? value : null;
  }
}
