import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentActor } from '@/lib/auth/guard';
import { safeNextPath } from '@/lib/auth/safeNext';
import { setupNeeded } from '@/lib/auth/setupToken';
import { LoginForm } from './LoginForm';

export const metadata = { title: 'Sign in' };

// Public: the only page besides /setup that needs no session.
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await currentActor()) redirect(next);
  const firstRun = await setupNeeded();
  return (
    <>
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      {params.setup === 'done' ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
        >
          The admin account is ready. Sign in with it.
        </p>
      ) : null}
      {firstRun ? (
        <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          No account exists yet.{' '}
          <Link href="/setup" className="font-medium underline">
            Create the first admin
          </Link>{' '}
          with the setup token from the server log.
        </p>
      ) : null}
      <LoginForm next={next} />
    </>
  );
}
