// The simulated estate behind scripts/gen-telemetry.ts: devices, processes, addresses, and one row of each format.
// Over 250 lines on purpose: most of it is data (column lists of five formats, pools of names and addresses) that
// describes one consistent world; split, the pools and the rows that draw from them would drift apart.
import { canonicalIp } from '@/lib/net/ip';

export type Format = 'defender-csv' | 'defender-stream' | 'zeek-tsv' | 'zeek-json' | 'device-info-csv';

export const NETWORK_HEADER = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'RemoteIP',
  'RemotePort',
  'RemoteUrl',
  'LocalIP',
  'LocalPort',
  'Protocol',
  'LocalIPType',
  'RemoteIPType',
  'InitiatingProcessSHA1',
  'InitiatingProcessSHA256',
  'InitiatingProcessMD5',
  'InitiatingProcessFileName',
  'InitiatingProcessFileSize',
  'InitiatingProcessVersionInfoCompanyName',
  'InitiatingProcessVersionInfoProductName',
  'InitiatingProcessVersionInfoProductVersion',
  'InitiatingProcessVersionInfoInternalFileName',
  'InitiatingProcessVersionInfoOriginalFileName',
  'InitiatingProcessVersionInfoFileDescription',
  'InitiatingProcessId',
  'InitiatingProcessCommandLine',
  'InitiatingProcessCreationTime',
  'InitiatingProcessFolderPath',
  'InitiatingProcessParentFileName',
  'InitiatingProcessParentId',
  'InitiatingProcessParentCreationTime',
  'InitiatingProcessAccountDomain',
  'InitiatingProcessAccountName',
  'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn',
  'InitiatingProcessAccountObjectId',
  'InitiatingProcessIntegrityLevel',
  'InitiatingProcessTokenElevation',
  'InitiatingProcessSessionId',
  'IsInitiatingProcessRemoteSession',
  'InitiatingProcessRemoteSessionDeviceName',
  'InitiatingProcessRemoteSessionIP',
  'ReportId',
  'AppGuardContainerId',
  'AdditionalFields',
] as const;

export const DEVICE_INFO_HEADER = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ClientVersion',
  'PublicIP',
  'OSArchitecture',
  'OSPlatform',
  'OSBuild',
  'IsAzureADJoined',
  'JoinType',
  'AadDeviceId',
  'LoggedOnUsers',
  'RegistryDeviceTag',
  'OSVersion',
  'MachineGroup',
  'ReportId',
  'OnboardingStatus',
  'AdditionalFields',
  'DeviceCategory',
  'DeviceType',
  'DeviceSubtype',
  'Model',
  'Vendor',
  'OSDistribution',
  'OSVersionInfo',
  'MergedDeviceIds',
  'MergedToDeviceId',
  'IsInternetFacing',
  'SensorHealthState',
  'IsExcluded',
  'ExclusionReason',
  'ExposureLevel',
  'AssetValue',
  'DeviceManualTags',
  'DeviceDynamicTags',
  'ConnectivityType',
  'HostDeviceId',
] as const;

export const ZEEK_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'tunnel_parents',
] as const;

// [file name, folder, weight]; the hostile ones make sure nothing downstream renders data as markup or formulas.
const PROCESSES: Array<[string, string, number]> = [
  ['chrome.exe', 'c:\\program files\\google\\chrome\\application\\chrome.exe', 20],
  ['msedge.exe', 'c:\\program files (x86)\\microsoft\\edge\\application\\msedge.exe', 20],
  ['svchost.exe', 'c:\\windows\\system32\\svchost.exe', 15],
  ['firefox.exe', 'c:\\program files\\mozilla firefox\\firefox.exe', 10],
  ['powershell.exe', 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe', 8],
  ['tor.exe', 'c:\\users\\alice\\desktop\\tor browser\\browser\\torbrowser\\tor\\tor.exe', 4],
  ['obfs4proxy.exe', 'c:\\users\\bob\\appdata\\local\\tor\\obfs4proxy.exe', 1],
  ['naïve-服务.exe', 'c:\\programdata\\naïve\\naïve-服务.exe', 2],
  ['<img src=x onerror=alert(1)>', 'c:\\temp\\<img src=x onerror=alert(1)>\\x.exe', 1],
  ['<script>alert(1)</script>.exe', 'c:\\temp\\<script>alert(1)</script>.exe', 1],
  ["=cmd|' /C calc'!A0.exe", 'c:\\temp\\=cmd.exe', 1],
  ['say "hi", world.exe', 'c:\\temp\\say "hi", world.exe', 1],
];

const ACTIONS: Array<[string, number]> = [
  ['ConnectionSuccess', 46],
  ['ConnectionFailed', 16],
  ['ConnectionRequest', 10],
  ['ConnectionAttempt', 10],
  ['InboundConnectionAccepted', 6],
  ['ListeningConnectionCreated', 4],
  ['ConnectionFound', 2],
  ['DnsConnectionInspected', 3],
  ['HttpConnectionInspected', 3],
];
const RELAY_ACTIONS = [
  'ConnectionSuccess',
  'ConnectionSuccess',
  'ConnectionFailed',
  'ConnectionAttempt',
  'InboundConnectionAccepted',
];
const PORTS = [443, 443, 443, 80, 80, 8080, 53, 123, 8443, 3389];
const RELAY_PORTS = [9001, 9001, 443, 9030, 8443, 9050, 8080];
const USERS = ['alice', 'bob', 'carol', 'dave', 'system'];
const CONN_STATES = ['SF', 'SF', 'SF', 'S0', 'REJ', 'RSTO', 'SH', 'OTH'];

interface Device {
  id: string;
  name: string;
  localIp: string;
  localIpv6: string;
  user: string;
}

interface WorldOptions {
  seed: string;
  devices: number;
  relays: readonly string[];
  days: number;
  endSeconds: number;
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
class Random {
  private state: number;

  constructor(seed: string) {
    let hash = 2166136261;
    for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    this.state = hash >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  weighted<T>(items: ReadonlyArray<readonly [T, ...unknown[]]>, weightAt: number): T {
    const total = items.reduce((sum, item) => sum + (item[weightAt] as number), 0);
    let roll = this.next() * total;
    for (const item of items) {
      roll -= item[weightAt] as number;
      if (roll < 0) return item[0];
    }
    return items[items.length - 1][0];
  }

  hex(length: number): string {
    let text = '';
    while (text.length < length) text += (this.int(0x10000) + 0x10000).toString(16).slice(1);
    return text.slice(0, length);
  }
}

export class TelemetryWorld {
  private readonly random: Random;
  private readonly devices: Device[];
  private readonly relays: readonly string[];
  private readonly relaySet: ReadonlySet<string>;
  /** Per process name: folder path, SHA1, SHA256, MD5. */
  private readonly processFacts = new Map<string, [string, string, string, string]>();
  private readonly reportIds: number[];

  constructor(private readonly options: WorldOptions) {
    this.random = new Random(`${options.seed}/world`);
    this.relays = options.relays;
    this.relaySet = new Set(options.relays);
    this.devices = Array.from({ length: Math.max(1, options.devices) }, (_, d) => ({
      id: this.random.hex(40),
      name: `${d % 10 === 9 ? 'srv' : 'wks'}-${String(d + 1).padStart(4, '0')}.corp.example.com`,
      localIp: `10.${this.random.int(256)}.${this.random.int(256)}.${1 + this.random.int(254)}`,
      localIpv6: `fd00:${this.random.hex(4)}::${this.random.hex(3)}`,
      user: USERS[d % USERS.length],
    }));
    this.reportIds = this.devices.map(() => 0);
    for (const [name, folder] of PROCESSES) {
      this.processFacts.set(name, [folder, this.random.hex(40), this.random.hex(64), this.random.hex(32)]);
    }
  }

  get deviceCount(): number {
    return this.devices.length;
  }

  static relaySet(seed: string, count: number): string[] {
    const random = new Random(`${seed}/relays`);
    const addresses = new Set<string>();
    while (addresses.size < count) {
      const v6 = `2a0${random.int(10)}:${random.hex(4)}:${random.hex(4)}::${random.hex(3)}`;
      addresses.add(random.next() < 0.8 ? publicIpv4(random) : canonicalIp(v6)!);
    }
    return [...addresses];
  }

  networkRow(i: number, relay: boolean): string[] {
    const r = this.random;
    const d = r.int(this.devices.length);
    const device = this.devices[d];
    const action = relay ? r.pick(RELAY_ACTIONS) : r.weighted(ACTIONS, 1);
    const inspected = action.endsWith('Inspected');
    const listening = action === 'ListeningConnectionCreated';
    const remote = relay ? this.relayAddressAsWritten() : listening ? '' : this.otherRemoteAddress();
    const v6 = remote.includes(':') && !remote.toLowerCase().startsWith('::ffff:');
    const remotePort = remote === '' ? '' : String(relay ? r.pick(RELAY_PORTS) : r.pick(PORTS));
    const ts = this.timestamp(r.next());
    const process = inspected ? null : r.weighted(PROCESSES, 2);
    const [folder, sha1, sha256, md5] = process === null ? ['', '', '', ''] : this.processFacts.get(process)!;
    const pid = process === null ? '' : String(4 + r.int(60000));
    const created = process === null ? '' : this.timestamp(r.next());
    this.reportIds[d] += 1 + r.int(3);
    return [
      ts,
      device.id,
      device.name,
      action,
      remote,
      remotePort,
      r.next() < 0.1 && !relay ? 'www.example.com' : '',
      v6 ? device.localIpv6 : device.localIp,
      String(listening ? r.pick(PORTS) : 49152 + r.int(16384)),
      remotePort === '53' ? 'Udp' : 'Tcp',
      'Private',
      remote === '' ? '' : 'Public',
      sha1,
      sha256,
      md5,
      process ?? '',
      process === null ? '' : String(100000 + r.int(5000000)),
      process === null ? '' : 'Example Corp',
      '',
      '',
      '',
      '',
      '',
      pid,
      process === null ? '' : `"${process}" --flag "a,b"`,
      created,
      folder,
      process === null ? '' : 'explorer.exe',
      process === null ? '' : String(4 + r.int(60000)),
      created,
      process === null ? '' : 'corp',
      process === null ? '' : device.user,
      process === null ? '' : `S-1-5-21-1004336348-1177238915-682003330-${1000 + (d % 50)}`,
      process === null ? '' : `${device.user}@corp.example.com`,
      '',
      process === null ? '' : 'Medium',
      process === null ? '' : 'TokenElevationTypeDefault',
      process === null ? '' : '4',
      process === null ? '' : 'false',
      '',
      '',
      String(this.reportIds[d]),
      '',
      r.next() < 0.1 ? '{"direction": "Out", "note": "x,\\"y\\""}' : '',
    ];
  }

  networkRecord(i: number, relay: boolean): object {
    const row = this.networkRow(i, relay);
    const numeric = new Set([
      'RemotePort',
      'LocalPort',
      'InitiatingProcessId',
      'InitiatingProcessFileSize',
      'InitiatingProcessParentId',
      'InitiatingProcessSessionId',
      'ReportId',
    ]);
    const properties: Record<string, string | number | boolean | null> = {};
    NETWORK_HEADER.forEach((name, k) => {
      const value = row[k];
      properties[name] = value === '' ? (k % 3 === 0 ? null : '') : numeric.has(name) ? Number(value) : value;
    });
    properties.IsInitiatingProcessRemoteSession = row[38] === 'false' ? false : null;
    return this.streamRecord('AdvancedHunting-DeviceNetworkEvents', row[0], properties);
  }

  otherCategoryRecord(i: number): object {
    const ts = this.timestamp(this.random.next());
    return this.streamRecord('AdvancedHunting-DeviceProcessEvents', ts, {
      Timestamp: ts,
      DeviceId: this.devices[i % this.devices.length].id,
      ActionType: 'ProcessCreated',
    });
  }

  deviceInfoRow(i: number): string[] {
    const r = this.random;
    const d = i % this.devices.length;
    const device = this.devices[d];
    const when = r.next();
    const ts = `${this.timestamp(when).slice(0, 19)}.0000000Z`;
    // A device's public address changes about once a week.
    const week = Math.floor((this.options.endSeconds - when * this.options.days * 86400) / (7 * 86400));
    const publicIp = publicIpv4(new Random(`${this.options.seed}/public/${d}/${week}`));
    return [
      ts,
      device.id,
      device.name,
      '10.8760.26100.1234',
      publicIp,
      '64-bit',
      'Windows11',
      '26100',
      'true',
      'AAD joined',
      '',
      `[{"UserName": "${device.user}", "DomainName": "CORP", "Sid": "S-1-5-21-1"}]`,
      '',
      '10.0',
      'Finance, "EU"',
      String(100000 + r.int(900000)),
      'Onboarded',
      '',
      'Endpoint',
      'Workstation',
      '',
      'Latitude 7440',
      'Dell Inc.',
      '',
      '',
      '',
      '',
      'false',
      'Active',
      '',
      '',
      'Medium',
      'Normal',
      '',
      '',
      '',
      '',
    ];
  }

  deviceInfoRecord(d: number): object {
    const row = this.deviceInfoRow(d);
    const properties: Record<string, string | number | boolean | null> = {};
    DEVICE_INFO_HEADER.forEach((name, k) => {
      properties[name] = row[k] === '' ? null : name === 'ReportId' ? Number(row[k]) : row[k];
    });
    return this.streamRecord('AdvancedHunting-DeviceInfo', row[0], properties);
  }

  zeekRow(i: number, total: number, relay: boolean): string[] {
    const r = this.random;
    const device = r.pick(this.devices);
    const remote = relay ? r.pick(this.relays) : this.otherRemoteAddress(true);
    const v6 = remote.includes(':');
    const local = v6 ? device.localIpv6 : device.localIp;
    const inbound = r.next() < 0.1;
    const [origH, respH] = inbound ? [remote, local] : [local, remote];
    const remotePort = relay ? r.pick(RELAY_PORTS) : r.pick(PORTS);
    const [origP, respP] = inbound ? [49152 + r.int(16384), 443] : [49152 + r.int(16384), remotePort];
    // Zeek writes in time order: spread the rows evenly over the window, with jitter.
    const spanMicros = this.options.days * 86400 * 1e6;
    const micros = Math.floor(
      this.options.endSeconds * 1e6 - spanMicros + ((i + r.next()) / Math.max(total, 1)) * spanMicros,
    );
    const ts = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
    const proto = respP === 53 ? 'udp' : 'tcp';
    const state = r.pick(CONN_STATES);
    const origBytes = state === 'S0' ? '0' : String(r.int(200000));
    return [
      ts,
      `C${this.random.hex(17).replace(/[0-9]/g, (digit) => 'aBcDeFgHiJ'[Number(digit)])}`,
      origH,
      String(origP),
      respH,
      String(respP),
      proto,
      respP === 443 ? 'ssl' : respP === 53 ? 'dns' : '-',
      (r.next() * 30).toFixed(6),
      origBytes,
      String(r.int(2000000)),
      state,
      inbound ? 'F' : 'T',
      inbound ? 'T' : 'F',
      '0',
      'ShADadFf',
      String(1 + r.int(500)),
      String(r.int(300000)),
      String(r.int(500)),
      String(r.int(3000000)),
      '(empty)',
    ];
  }

  zeekJson(i: number, total: number, relay: boolean): string {
    const row = this.zeekRow(i, total, relay);
    const numeric = new Set([
      'id.orig_p',
      'id.resp_p',
      'orig_bytes',
      'resp_bytes',
      'missed_bytes',
      'orig_pkts',
      'orig_ip_bytes',
      'resp_pkts',
      'resp_ip_bytes',
    ]);
    // ts is spliced in as written: JSON.stringify of the float could print other digits.
    const entry: Record<string, unknown> = {};
    ZEEK_FIELDS.forEach((name, k) => {
      const value = row[k];
      if (name === 'ts' || value === '-' || value === '(empty)') return;
      entry[name] =
        name === 'local_orig' || name === 'local_resp'
          ? value === 'T'
          : numeric.has(name) || name === 'duration'
            ? Number(value)
            : value;
    });
    return `{"ts":${row[0]},${JSON.stringify(entry).slice(1)}`;
  }

  private streamRecord(category: string, time: string, properties: object): object {
    return { time, tenantId: '0f2c7a4e-1b3d-4c5e-9f60-7a8b9c0d1e2f', operationName: 'Publish', category, properties };
  }

  /** A relay address, sometimes written the way a Windows socket reports it (IPv4-mapped) or in capitals. */
  private relayAddressAsWritten(): string {
    const address = this.random.pick(this.relays);
    const roll = this.random.next();
    if (!address.includes(':') && roll < 0.1) return `::ffff:${address}`;
    if (address.includes(':') && roll < 0.3) return address.toUpperCase();
    return address;
  }

  /** A public address that is not a relay: mostly IPv4, some IPv4-mapped, some IPv6 (with leading zeros), some empty. */
  private otherRemoteAddress(neverEmpty = false): string {
    const r = this.random;
    for (;;) {
      const roll = r.next();
      if (roll < 0.03 && !neverEmpty) return '';
      const address =
        roll < 0.08
          ? `2001:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}`
          : publicIpv4(r);
      if (this.relaySet.has(canonicalIp(address)!)) continue;
      return roll >= 0.08 && roll < 0.11 && !neverEmpty ? `::ffff:${address}` : address;
    }
  }

  /** `fraction` of the window back from the end, with 7 fractional digits like Defender's 100 ns ticks. */
  private timestamp(fraction: number): string {
    const seconds = Math.floor(this.options.endSeconds - fraction * this.options.days * 86400);
    const ticks = String(this.random.int(10_000_000)).padStart(7, '0');
    return `${isoSeconds(seconds)}.${ticks}Z`;
  }
}

/** `YYYY-MM-DDTHH:MM:SS` for epoch seconds, by integer arithmetic (Date#toISOString was a sixth of the run). */
function isoSeconds(epochSeconds: number): string {
  const days = Math.floor(epochSeconds / 86400);
  const secondOfDay = epochSeconds - days * 86400;
  // Days to civil date: Howard Hinnant's algorithm.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${two(month)}-${two(day)}T${two(Math.floor(secondOfDay / 3600))}:${two(Math.floor(secondOfDay / 60) % 60)}:${two(secondOfDay % 60)}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function publicIpv4(random: Random): string {
  // First octets that are neither private, loopback, CGNAT, link-local nor multicast.
  let first = 0;
  do first = 1 + random.int(223);
  while ([10, 100, 127, 169, 172, 192].includes(first));
  return `${first}.${random.int(256)}.${random.int(256)}.${1 + random.int(254)}`;
}
