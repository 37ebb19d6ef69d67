import Link from 'next/link';
import { NAV_ITEMS } from '@/components/layout/navItems';
import { SideNav } from '@/components/layout/SideNav';
import { ThemeToggle } from '@/components/layout/ThemeToggle';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white px-3 py-5 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/overview" className="px-3 text-lg font-semibold tracking-tight">
          <span className="text-violet-700 dark:text-violet-400">Tor</span>Watch
        </Link>
        <SideNav items={NAV_ITEMS} />
        <div className="mt-auto flex flex-col gap-1">
          <ThemeToggle />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
