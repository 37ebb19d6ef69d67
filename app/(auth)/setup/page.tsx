import { redirect } from 'next/navigation';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/passwordRules';
import { setupNeeded } from '@/lib/auth/setupToken';
import { SetupForm } from './SetupForm';

export const metadata = { title: 'First-run setup' };

// Public only while no account exists; afterwards it sends everyone to the login page.
export default async function SetupPage() {
  if (!(await setupNeeded())) redirect('/login');
  return (
    <>
      <h1 className="mb-2 text-lg font-semibold">Create the first admin</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        Enter the one-time setup token that <code className="font-mono">torwatch serve</code> printed to its log (also
        in the data directory&apos;s <code className="font-mono">setup-token</code> file).
      </p>
      <SetupForm minLength={MIN_PASSWORD_LENGTH} />
    </>
  );
}
