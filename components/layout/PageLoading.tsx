export function PageLoading() {
  return (
    <div role="status" aria-label="Loading" className="animate-pulse">
      <div className="mb-6 h-8 w-48 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="mb-4 h-8 w-full max-w-2xl rounded bg-slate-200 dark:bg-slate-800" />
      <div className="grid gap-4 md:grid-cols-2">
        <div className="h-48 rounded-lg bg-slate-200 dark:bg-slate-800" />
        <div className="h-48 rounded-lg bg-slate-200 dark:bg-slate-800" />
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
