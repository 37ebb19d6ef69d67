'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { ROLES } from '@/lib/auth/roles';
import { formFields, serverAction } from '@/lib/auth/serverAction';
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

const fail = (error: string): UserFormState => ({ error, done: null });
const role = z.enum(ROLES, 'choose a role');

export const addUser = serverAction(
  {
    name: 'addUser',
    role: 'admin',
    input: z.object({
      email: z.string().max(320).default(''),
      role,
      password: z.string().max(1000).default(''),
      name: z.string().max(200).default(''),
    }),
    from: (_previous: UserFormState, form: FormData) => formFields(form),
    fail,
  },
  async ({ actor, input }): Promise<UserFormState> => {
    const user = await createUser(input);
    await audit(actor, 'user.create', user.email, { role: input.role });
    revalidatePath('/settings/users');
    return { error: null, done: `Created ${user.email} (${input.role}).` };
  },
);

const change = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('role'), userId: z.string().max(100), role }),
  z.object({ intent: z.enum(['disable', 'enable', 'unlock', 'delete']), userId: z.string().max(100) }),
  z.object({ intent: z.literal('password'), userId: z.string().max(100), password: z.string().max(1000).default('') }),
]);

/** One form per user row: `intent` says which change (role, disable, enable, unlock, password, delete). */
export const changeUser = serverAction(
  {
    name: 'changeUser',
    role: 'admin',
    input: change,
    from: (_previous: UserFormState, form: FormData) => formFields(form),
    fail,
  },
  async ({ actor, input }): Promise<UserFormState> => {
    const user = await findUser(input.userId);
    if (!user) throw new UserInputError('no such user');
    const done = async (message: string) => {
      revalidatePath('/settings/users');
      return { error: null, done: message };
    };
    switch (input.intent) {
      case 'role':
        await setUserRole(user.id, input.role);
        await audit(actor, 'user.role', user.email, { from: user.role, to: input.role });
        return done(`${user.email} is now ${input.role}.`);
      case 'disable':
      case 'enable':
        if (input.intent === 'disable' && user.id === actor.id) throw new UserInputError('you cannot disable yourself');
        await setUserDisabled(user.id, input.intent === 'disable');
        await audit(actor, `user.${input.intent}`, user.email);
        return done(`${user.email} ${input.intent}d.`);
      case 'unlock':
        await unlockUser(user.id);
        await audit(actor, 'user.unlock', user.email);
        return done(`${user.email} unlocked.`);
      case 'password':
        await setUserPassword(user.id, input.password);
        await audit(actor, 'user.password', user.email);
        return done(`Password of ${user.email} changed; their sessions ended.`);
      case 'delete':
        if (user.id === actor.id) throw new UserInputError('you cannot delete yourself');
        await deleteUser(user.id);
        await audit(actor, 'user.delete', user.email);
        return done(`${user.email} deleted.`);
    }
  },
);
