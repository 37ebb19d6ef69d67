'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { audit } from '@/lib/auth/audit';
import { formFields, serverAction } from '@/lib/auth/serverAction';
import { checkSetupToken } from '@/lib/auth/setupToken';
import { createUser } from '@/lib/auth/users';

export interface SetupState {
  error: string | null;
}

const setupForm = z
  .object({
    token: z.string().max(200).default(''),
    email: z.string().max(320).default(''),
    password: z.string().max(1000).default(''),
    confirm: z.string().max(1000).default(''),
  })
  .refine((form) => form.password === form.confirm, { message: 'The two passwords differ.' });

/** First run: the setup token from the server log proves the caller runs this server; creates the first admin. */
export const createFirstAdmin = serverAction(
  {
    name: 'createFirstAdmin',
    role: 'anyone',
    input: setupForm,
    from: (_previous: SetupState, form: FormData) => formFields(form),
    fail: (error): SetupState => ({ error }),
  },
  async ({ input, ip }): Promise<SetupState> => {
    if (!(await checkSetupToken(input.token))) {
      await audit(null, 'setup.failure', input.email || null, { reason: 'wrong or spent setup token' }, ip);
      return {
        error:
          'That setup token is wrong or already spent (it is printed in the log each time `torwatch serve` starts without users).',
      };
    }
    const user = await createUser({ email: input.email, password: input.password, role: 'admin', onlyIfNoUsers: true });
    await audit(
      { kind: 'user', id: user.id, label: user.email, role: 'admin' },
      'user.create',
      user.email,
      { role: 'admin', via: 'setup' },
      ip,
    );
    redirect('/login?setup=done');
  },
);
