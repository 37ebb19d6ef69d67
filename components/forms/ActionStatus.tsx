/** The outcome of a form's server action: a polite status when it went through, an alert when it did not. */
export function ActionStatus({
  state,
  className = 'text-sm',
}: {
  state: { ok: boolean; message: string };
  /** Size and layout (the colour follows the outcome). */
  className?: string;
}) {
  if (!state.message) return null;
  return (
    <p
      role={state.ok ? 'status' : 'alert'}
      className={`${className} ${state.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
    >
      {state.message}
    </p>
  );
}
