'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { audit } from '@/lib/auth/audit';
import { checkSetupToken } from '@/lib/auth/setupToken';
import { createUser, UserInputError } from '@/lib/auth/users';

export interface SetupState {
  error: string | null;
}

/** First run: the setup token from the server log proves the caller runs this server; creates the first admin. */
export async function createFirstAdmin(_previous: SetupState, form: FormData): Promise<SetupState> {
  const token = String(form.get('token') ?? '');
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  if (password !== String(form.get('confirm') ?? '')) return { error: 'The two passwords differ.' };
  const ip = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim() ?? null;
  if (!(await checkSetupToken(token))) {
    await audit(null, 'setup.failure', email || null, { reason: 'wrong or spent setup token' }, ip);
    return {
      error:
        'That setup token is wrong or already spent (it is printed in the log each time `torwatch serve` starts without users).',
    };
  }
  try {
    const user = await createUser({ email, password, role: 'admin', onlyIfNoUsers: true });
    await audit(
      { kind: 'user', id: user.id, label: user.email, role: 'admin' },
      'user.create',
      user.email,
      { role: 'admin', via: 'setup' },
      ip,
    );
  } catch (error) {
    if (error instanceof UserInputError) return { error: error.message.replace(/^./, (c) => c.toUpperCase()) + '.' };
    throw error;
  }
  redirect('/login?setup=done');
}
