'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/auth/audit';
import { requireActionRole } from '@/lib/auth/guard';
import { isRole } from '@/lib/auth/roles';
import {
  createUser,
  deleteUser,
  findUser,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  unlockUser,
  UserInputError,
} from '@/lib/auth/users';

export interface UserFormState {
  error: string | null;
  done: string | null;
}

async function attempt(work: () => Promise<string>): Promise<UserFormState> {
  try {
    const done = await work();
    revalidatePath('/settings/users');
    return { error: null, done };
  } catch (error) {
    if (error instanceof UserInputError) return { error: error.message, done: null };
    throw error;
  }
}

export async function addUser(_previous: UserFormState, form: FormData): Promise<UserFormState> {
  const actor = await requireActionRole('admin');
  return attempt(async () => {
    const role = String(form.get('role'));
    if (!isRole(role)) throw new UserInputError('choose a role');
    const user = await createUser({
      email: String(form.get('email') ?? ''),
      role,
      password: String(form.get('password') ?? ''),
      name: String(form.get('name') ?? ''),
    });
    await audit(actor, 'user.create', user.email, { role });
    return `Created ${user.email} (${role}).`;
  });
}

/** One form per user row: `intent` says which change (role, disable, enable, unlock, password, delete). */
export async function changeUser(_previous: UserFormState, form: FormData): Promise<UserFormState> {
  const actor = await requireActionRole('admin');
  return attempt(async () => {
    const user = await findUser(String(form.get('userId') ?? ''));
    if (!user) throw new UserInputError('no such user');
    const intent = String(form.get('intent'));
    if (intent === 'role') {
      const role = String(form.get('role'));
      if (!isRole(role)) throw new UserInputError('choose a role');
      await setUserRole(user.id, role);
      await audit(actor, 'user.role', user.email, { from: user.role, to: role });
      return `${user.email} is now ${role}.`;
    }
    if (intent === 'disable' || intent === 'enable') {
      if (intent === 'disable' && user.id === actor.id) throw new UserInputError('you cannot disable yourself');
      await setUserDisabled(user.id, intent === 'disable');
      await audit(actor, `user.${intent}`, user.email);
      return `${user.email} ${intent}d.`;
    }
    if (intent === 'unlock') {
      await unlockUser(user.id);
      await audit(actor, 'user.unlock', user.email);
      return `${user.email} unlocked.`;
    }
    if (intent === 'password') {
      await setUserPassword(user.id, String(form.get('password') ?? ''));
      await audit(actor, 'user.password', user.email);
      return `Password of ${user.email} changed; their sessions ended.`;
    }
    if (intent === 'delete') {
      if (user.id === actor.id) throw new UserInputError('you cannot delete yourself');
      await deleteUser(user.id);
      await audit(actor, 'user.delete', user.email);
      return `${user.email} deleted.`;
    }
    throw new UserInputError(`unknown change "${intent}"`);
  });
}
