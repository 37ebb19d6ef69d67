import { relayAddressRefusal, type RelayAddressPolicy } from './relayAddressPolicy';
import type { ParsedRelayDocument, RelayAddressObservation, RelayFormat, RelayInfo } from './types';

const MAX_REJECTS_KEPT = 1000;

/**
 * Collects one document's relays, addresses and rejects, so every parser shares the same reject cap, dedupe rule
 * and "latest metadata wins" merge.
 */
export class RelayDocumentBuilder {
  private readonly relays = new Map<string, RelayInfo>();
  private readonly addresses = new Map<string, RelayAddressObservation>();
  private readonly rejects: ParsedRelayDocument['rejects'] = [];
  private rejectCount = 0;
  rowsRead = 0;

  constructor(private readonly policy: RelayAddressPolicy = {}) {}

  reject(line: number | null, field: string, reason: string): void {
    this.rejectCount++;
    if (this.rejects.length < MAX_REJECTS_KEPT) this.rejects.push({ line, field, reason });
  }

  /**
   * Adds an address unless the same relay/ip/port/kind is already listed. A repeat may still fill in what the
   * first listing lacked, and an exit address keeps its latest scan time. Private, loopback and documentation
   * addresses are rejected (relayAddressPolicy.ts) at `where`.
   */
  addAddress(observation: RelayAddressObservation, where: { line: number | null; field: string }): void {
    // Every parser comes through here: an address no relay can have is a reject, in every format.
    const refusal = relayAddressRefusal(observation.ip, this.policy);
    if (refusal) {
      this.reject(where.line, where.field, `${observation.ip} is ${refusal}, not a relay address`);
      return;
    }
    const key = `${observation.fingerprint}|${observation.ip}|${observation.port}|${observation.kind}`;
    const seen = this.addresses.get(key);
    if (!seen) {
      this.addresses.set(key, observation);
      return;
    }
    seen.lastChanged ??= observation.lastChanged;
    seen.hostname ??= observation.hostname;
    seen.country ??= observation.country;
    if (observation.observedAt && (!seen.observedAt || observation.observedAt > seen.observedAt)) {
      seen.observedAt = observation.observedAt;
    }
  }

  /**
   * Records a relay's metadata. When a fingerprint appears again, the listing with the later lastSeen (or, without
   * one, the later in the document) wins field by field where it has a value; host names accumulate.
   */
  addRelay(relay: RelayInfo): void {
    const seen = this.relays.get(relay.fingerprint);
    if (!seen) {
      this.relays.set(relay.fingerprint, { ...relay, flags: [...relay.flags], hostnames: [...relay.hostnames] });
      return;
    }
    const hostnames = [...new Set([...seen.hostnames, ...relay.hostnames])];
    const newer = !seen.lastSeen || !relay.lastSeen || relay.lastSeen >= seen.lastSeen;
    const [winner, loser] = newer ? [relay, seen] : [seen, relay];
    this.relays.set(relay.fingerprint, {
      fingerprint: relay.fingerprint,
      nickname: winner.nickname ?? loser.nickname,
      country: winner.country ?? loser.country,
      flags: winner.flags.length ? [...winner.flags] : [...loser.flags],
      asNumber: winner.asNumber ?? loser.asNumber,
      asName: winner.asName ?? loser.asName,
      hostnames,
      firstSeen: earliest(seen.firstSeen, relay.firstSeen),
      lastSeen: winner.lastSeen ?? loser.lastSeen,
      running: winner.running ?? loser.running,
      consensusWeight: winner.consensusWeight ?? loser.consensusWeight,
    });
  }

  build(format: RelayFormat, publishedAt: Date | null): ParsedRelayDocument {
    return {
      format,
      publishedAt,
      relays: [...this.relays.values()],
      addresses: [...this.addresses.values()],
      rejects: this.rejects,
      rejectCount: this.rejectCount,
      rowsRead: this.rowsRead,
    };
  }
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a <= b ? a : b;
}

/** A relay with nothing known beyond its fingerprint. */
export function emptyRelayInfo(fingerprint: string): RelayInfo {
  return {
    fingerprint,
    nickname: null,
    country: null,
    flags: [],
    asNumber: null,
    asName: null,
    hostnames: [],
    firstSeen: null,
    lastSeen: null,
    running: null,
    consensusWeight: null,
  };
}
