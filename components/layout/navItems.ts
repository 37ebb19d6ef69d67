export interface NavItem {
  href: string;
  label: string;
  minRole?: 'viewer' | 'analyst' | 'admin';
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/overview', label: 'Overview' },
  { href: '/episodes', label: 'Episodes' },
  { href: '/trends', label: 'Trends' },
  { href: '/hits', label: 'Hits' },
  { href: '/devices', label: 'Devices' },
  { href: '/relays', label: 'Relays' },
  { href: '/ingest', label: 'Ingest', minRole: 'analyst' },
  { href: '/rules', label: 'Rules', minRole: 'analyst' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/settings', label: 'Settings', minRole: 'admin' },
];
