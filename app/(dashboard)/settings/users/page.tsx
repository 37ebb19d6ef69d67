import { PageHeader } from '@/components/layout/PageHeader';
import { requirePageRole } from '@/lib/auth/guard';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/passwordRules';
import { listUsers } from '@/lib/auth/users';
import { AddUserForm, UserActions } from './UserForms';

export const metadata = { title: 'Users' };

const ROLE_TEXT =
  'admin: users, feeds, schedules, tokens, settings and everything below · analyst: hits, triage, uploads, exports · viewer: overview, trends and the hits table, read-only';

export default async function UsersPage() {
  const actor = await requirePageRole('admin');
  const users = await listUsers();
  const now = new Date();
  return (
    <>
      <PageHeader title="Users" description={ROLE_TEXT} />
      <AddUserForm minLength={MIN_PASSWORD_LENGTH} />
      <table className="mt-6 w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4">E-mail</th>
            <th className="py-2 pr-4">Role</th>
            <th className="py-2 pr-4">State</th>
            <th className="py-2 pr-4">Created</th>
            <th className="py-2">Change</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const locked = !!user.lockedUntil && user.lockedUntil > now;
            return (
              <tr key={user.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                <td className="py-3 pr-4 font-medium">
                  {user.email}
                  {user.id === actor.id ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
                </td>
                <td className="py-3 pr-4">{user.role ?? '—'}</td>
                <td className="py-3 pr-4">
                  {user.disabled ? (
                    <span className="text-red-700 dark:text-red-400">disabled</span>
                  ) : locked ? (
                    <span
                      className="text-amber-700 dark:text-amber-400"
                      title={`until ${user.lockedUntil!.toISOString()}`}
                    >
                      locked
                    </span>
                  ) : (
                    'active'
                  )}
                </td>
                <td className="py-3 pr-4 whitespace-nowrap text-slate-600 dark:text-slate-400">
                  {user.createdAt.toISOString().slice(0, 10)}
                </td>
                <td className="py-3">
                  <UserActions
                    userId={user.id}
                    email={user.email}
                    role={user.role}
                    disabled={user.disabled}
                    locked={locked}
                    self={user.id === actor.id}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
