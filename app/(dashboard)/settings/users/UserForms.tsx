'use client';

import { useActionState } from 'react';
import { addUser, changeUser, type UserFormState } from './actions';

const input = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';
const button =
  'rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800';
const initial: UserFormState = { error: null, done: null };

function Message({ state }: { state: UserFormState }) {
  if (state.error)
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {state.error}
      </p>
    );
  if (state.done)
    return (
      <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
        {state.done}
      </p>
    );
  return null;
}

export function AddUserForm({ minLength }: { minLength: number }) {
  const [state, action, pending] = useActionState(addUser, initial);
  return (
    <form
      action={action}
      aria-label="Add user"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <label className="flex flex-col text-xs font-medium">
        E-mail
        <input name="email" type="email" required className={input} />
      </label>
      <label className="flex flex-col text-xs font-medium">
        Role
        <select name="role" defaultValue="viewer" className={input}>
          <option value="viewer">viewer</option>
          <option value="analyst">analyst</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium">
        Initial password
        <input
          name="password"
          type="password"
          required
          minLength={minLength}
          autoComplete="new-password"
          className={input}
        />
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60"
      >
        Add user
      </button>
      <div className="basis-full">
        <Message state={state} />
      </div>
    </form>
  );
}

export function UserActions({
  userId,
  email,
  role,
  disabled,
  locked,
  self,
}: {
  userId: string;
  email: string;
  role: string | null;
  disabled: boolean;
  locked: boolean;
  self: boolean;
}) {
  const [state, action, pending] = useActionState(changeUser, initial);
  return (
    <div className="flex flex-col gap-1">
      <form action={action} className="flex flex-wrap items-center gap-2" aria-label={`Change ${email}`}>
        <input type="hidden" name="userId" value={userId} />
        <select name="role" defaultValue={role ?? 'viewer'} aria-label={`Role of ${email}`} className={input}>
          <option value="viewer">viewer</option>
          <option value="analyst">analyst</option>
          <option value="admin">admin</option>
        </select>
        <button name="intent" value="role" disabled={pending} className={button}>
          Set role
        </button>
        {locked ? (
          <button name="intent" value="unlock" disabled={pending} className={button}>
            Unlock
          </button>
        ) : null}
        {self ? null : disabled ? (
          <button name="intent" value="enable" disabled={pending} className={button}>
            Enable
          </button>
        ) : (
          <button name="intent" value="disable" disabled={pending} className={button}>
            Disable
          </button>
        )}
        {self ? null : (
          <button
            name="intent"
            value="delete"
            disabled={pending}
            className={`${button} text-red-700 dark:text-red-400`}
            onClick={(event) => {
              if (!confirm(`Delete ${email}?`)) event.preventDefault();
            }}
          >
            Delete
          </button>
        )}
      </form>
      <form action={action} className="flex items-center gap-2" aria-label={`New password for ${email}`}>
        <input type="hidden" name="userId" value={userId} />
        <input
          name="password"
          type="password"
          placeholder="new password"
          autoComplete="new-password"
          aria-label={`New password for ${email}`}
          className={`${input} w-40`}
        />
        <button name="intent" value="password" disabled={pending} className={button}>
          Set password
        </button>
      </form>
      <Message state={state} />
    </div>
  );
}
