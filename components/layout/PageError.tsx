'use client';

// Shown when this page's data could not be loaded: the message is shown, never swallowed, and the user can retry.
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-6 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100"
    >
      <h2 className="text-base font-semibold">This page could not be loaded</h2>
      <p className="mt-1">
        {error.message || 'An unexpected error occurred.'}
        {error.digest ? ` (reference ${error.digest})` : ''}
      </p>
      <p className="mt-1 text-red-800/80 dark:text-red-200/80">
        Check that the database is reachable (GET /api/health), then try again.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded-md bg-red-700 px-3 py-1.5 text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
