import Link from 'next/link';
import { headers } from 'next/headers';
import { forbidden } from 'next/navigation';
import { NAV_ITEMS } from '@/components/layout/navItems';
import { SideNav } from '@/components/layout/SideNav';
import { ThemeToggle } from '@/components/layout/ThemeToggle';
import { UserMenu } from '@/components/layout/UserMenu';
import { hasRole, PATH_HEADER, requirePageRole } from '@/lib/auth/guard';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Every dashboard page needs a session; each page also checks its own minimum role.
  const actor = await requirePageRole('viewer');
  const navItems = NAV_ITEMS.filter((item) => hasRole(actor, item.minRole ?? 'viewer'));
  // Defence in depth on full page loads (layouts do not re-render on client navigation, so pages still check):
  // a section's minimum role (navItems.ts) holds for every page under it.
  const path = ((await headers()).get(PATH_HEADER) ?? '').split('?')[0];
  const section = NAV_ITEMS.find((item) => path === item.href || path.startsWith(`${item.href}/`));
  if (section && !hasRole(actor, section.minRole ?? 'viewer')) forbidden();
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex print:hidden h-screen w-56 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white px-3 py-5 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/overview" className="px-3 text-lg font-semibold tracking-tight">
          <span className="text-violet-700 dark:text-violet-400">Tor</span>Watch
        </Link>
        <SideNav items={navItems} />
        <div className="mt-auto flex flex-col gap-1">
          <UserMenu label={actor.label} role={actor.role} />
          <ThemeToggle />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6 print:p-0">{children}</main>
    </div>
  );
}
