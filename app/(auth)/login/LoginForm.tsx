'use client';

import { useState } from 'react';

const inputClass =
  'mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950';

// Posts to Better Auth's own endpoint so its Origin check applies; the per-address limit and the per-account backoff
// run in its hooks (lib/auth/auth.ts, lib/auth/signInThrottle.ts) and answer 429 with Retry-After.
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn(form: FormData) {
    setPending(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') }),
      });
      if (response.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      setError(
        response.status === 429
          ? `Too many sign-in attempts; try again in ${response.headers.get('retry-after') ?? 'a few'} seconds.`
          : response.status === 401
            ? 'Wrong e-mail or password.'
            : (body.message ?? `Sign-in failed (${response.status}).`),
      );
    } catch {
      setError('The server could not be reached.');
    } finally {
      setPending(false);
    }
  }

  return (
    <form action={signIn} className="flex flex-col gap-4">
      <label className="text-sm font-medium">
        E-mail
        <input name="email" type="email" autoComplete="username" required className={inputClass} />
      </label>
      <label className="text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required className={inputClass} />
      </label>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-violet-700 px-4 py-2 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60"
      >
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
