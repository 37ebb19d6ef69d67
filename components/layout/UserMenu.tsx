'use client';

import { useState } from 'react';

// Who is signed in, and the way out. Signing out posts to Better Auth (which clears the cookie and the session row).
export function UserMenu({ label, role }: { label: string; role: string | null }) {
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    await fetch('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }).catch(() => null);
    // A full load, not router.push: nothing rendered for the signed-in user may survive in the client cache.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign('/login');
  }

  return (
    <div
      className="rounded-md border border-slate-200 px-3 py-2 text-sm dark:border-slate-800"
      aria-label="Signed in user"
    >
      <p className="truncate font-medium" title={label}>
        {label}
      </p>
      <p className="text-xs capitalize text-slate-500 dark:text-slate-400">{role ?? 'no role'}</p>
      <button
        type="button"
        onClick={signOut}
        disabled={pending}
        className="mt-2 text-xs font-medium text-violet-700 hover:underline disabled:opacity-60 dark:text-violet-400"
      >
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
