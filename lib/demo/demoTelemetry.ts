import { DemoRandom } from './demoRandom';
import type { DemoRelay } from './demoRelays';

// Demo telemetry in the Defender portal CSV shape: ~200 devices named demo-…, 30 days of ordinary traffic and a few
// processes that reach Tor (the Tor Browser on some laptops, a bundled tor.exe in a suspicious folder, a miner).
export const DEMO_DEVICE_PREFIX = 'demo-';
const NETWORK_HEADER = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'RemoteIP',
  'RemotePort',
  'LocalIP',
  'LocalPort',
  'Protocol',
  'InitiatingProcessFileName',
  'InitiatingProcessFolderPath',
  'InitiatingProcessSHA256',
  'InitiatingProcessCommandLine',
  'InitiatingProcessAccountName',
  'ReportId',
];
const INFO_HEADER = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'PublicIP',
  'OSPlatform',
  'OSVersion',
  'MachineGroup',
  'ReportId',
];

const ORDINARY = [
  ['chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application'],
  ['msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application'],
  ['Teams.exe', 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams'],
  ['svchost.exe', 'C:\\Windows\\System32'],
  ['OneDrive.exe', 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive'],
  ['outlook.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16'],
] as const;
// [process, folder, share of Tor events, how many devices run it]
const TOR_USERS = [
  ['firefox.exe', 'C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser', 0.45, 9],
  ['tor.exe', 'C:\\Users\\{user}\\Desktop\\Tor Browser\\Browser\\TorBrowser\\Tor', 0.3, 9],
  ['tor.exe', 'C:\\ProgramData\\svc\\bin', 0.15, 2],
  ['xmrig.exe', 'C:\\Users\\{user}\\AppData\\Roaming\\cache', 0.1, 1],
] as const;
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];
const csv = (cells: Array<string | number>) =>
  `${cells.map((c) => (/[",\r\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c))).join(',')}\r\n`;
const iso7 = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}0000Z`;

export interface DemoDevice {
  id: string;
  name: string;
  user: string;
  localIp: string;
  torProcess: number | null; // index into TOR_USERS
}

export function demoDevices(count = 200): DemoDevice[] {
  const random = new DemoRandom(11);
  // Every ninth device runs one of the Tor-using processes, as many devices per process as TOR_USERS says.
  const assignments = TOR_USERS.flatMap(([, , , devices], index) => Array<number>(devices).fill(index));
  return Array.from({ length: count }, (_, d) => ({
    id: `${DEMO_DEVICE_PREFIX}${random.hex(36).toLowerCase()}`,
    name: `${DEMO_DEVICE_PREFIX}${d % 10 === 9 ? 'srv' : 'wks'}-${String(d + 1).padStart(3, '0')}.demo.example`,
    user: USERS[d % USERS.length],
    localIp: `10.20.${Math.floor(d / 200)}.${(d % 200) + 20}`,
    torProcess: d % 9 === 4 ? (assignments[Math.floor(d / 9)] ?? null) : null,
  }));
}

/** DeviceInfo CSV: a record every 12 hours per device; the public IP changes every ~5 days (home office, office). */
export function* demoDeviceInfo(devices: DemoDevice[], end: Date, days = 30): Generator<string> {
  yield csv(INFO_HEADER);
  const start = end.getTime() - days * 86_400_000;
  for (const [d, device] of devices.entries()) {
    for (let t = start + (d % 12) * 3_600_000, n = 0; t < end.getTime(); t += 12 * 3_600_000, n++) {
      const period = Math.floor((t - start) / (5 * 86_400_000) + d / 7);
      const publicIp =
        period % 2 === 0 ? `198.18.${d % 4}.${10 + (d % 200)}` : `198.19.${period % 250}.${((d * 7) % 250) + 1}`;
      yield csv([
        iso7(t),
        device.id,
        device.name,
        publicIp,
        d % 10 === 9 ? 'WindowsServer2022' : 'Windows11',
        d % 10 === 9 ? '10.0.20348' : '10.0.26100',
        d % 10 === 9 ? 'Demo servers' : 'Demo workstations',
        `info-${n}`,
      ]);
    }
  }
}

/** DeviceNetworkEvents CSV: `events` rows, about 2% of them to demo relays from the Tor-using processes. */
export function* demoNetworkEvents(
  devices: DemoDevice[],
  relays: DemoRelay[],
  end: Date,
  events = 60_000,
  days = 30,
): Generator<string> {
  const random = new DemoRandom(13);
  const torDevices = devices.filter((d) => d.torProcess !== null);
  yield csv(NETWORK_HEADER);
  const span = days * 86_400_000;
  for (let i = 0; i < events; i++) {
    const tor = random.next() < 0.02;
    // Tor use grows over the month (later days are likelier), so the trend chart tells a story.
    const age = tor ? span * (1 - Math.sqrt(random.next())) : span * random.next();
    const ts = end.getTime() - age;
    if (tor) {
      const device = random.pick(torDevices);
      const [process, folder] = TOR_USERS[device.torProcess!];
      const relay = random.pick(relays.slice(0, 120)); // a working set, as a Tor client keeps its guards
      // The server's hidden tor.exe also runs a relay: Tor clients connect in to it.
      const inbound = device.torProcess === 2 && random.next() < 0.4;
      const action = inbound
        ? 'InboundConnectionAccepted'
        : random.next() < 0.85
          ? 'ConnectionSuccess'
          : 'ConnectionFailed';
      const port = random.next() < 0.9 ? relay.orPort : 443;
      yield csv([
        iso7(ts),
        device.id,
        device.name,
        action,
        relay.address,
        port,
        relay.address.includes(':') ? 'fd00::20' : device.localIp,
        49152 + random.int(16000),
        'Tcp',
        process,
        folder.replace('{user}', device.user),
        `${process.length}`.padStart(64, 'a'),
        `"${process}" --demo`,
        device.user,
        `net-${i}`,
      ]);
    } else {
      const device = random.pick(devices);
      const [process, folder] = random.pick(ORDINARY);
      yield csv([
        iso7(ts),
        device.id,
        device.name,
        random.next() < 0.97 ? 'ConnectionSuccess' : 'ConnectionFailed',
        `20.${random.int(200)}.${random.int(250)}.${1 + random.int(250)}`,
        random.pick([443, 443, 443, 80, 53]),
        device.localIp,
        49152 + random.int(16000),
        'Tcp',
        process,
        folder.replace('{user}', device.user),
        'b'.repeat(64),
        `"${process}"`,
        device.user,
        `net-${i}`,
      ]);
    }
  }
}
