import Link from 'next/link';

export const metadata = { title: 'Forbidden' };

// Rendered (status 403) when requirePageRole finds a signed-in user whose role is too low for the page.
export default function Forbidden() {
  return (
    <main className="mx-auto mt-24 max-w-md px-6 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-violet-700 dark:text-violet-400">403</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Forbidden</h1>
      <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
        Your role does not allow this page. Ask an admin if you need access.
      </p>
      <Link
        href="/overview"
        className="mt-6 inline-block rounded-md bg-violet-700 px-4 py-2 text-sm font-medium text-white hover:bg-violet-800"
      >
        Back to the overview
      </Link>
    </main>
  );
}
