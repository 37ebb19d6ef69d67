import { parseArgs } from 'node:util';
import { CommandError, UsageError } from './errors';
import { promptPassword, readPasswordLine } from './readPassword';
import { withDatabase } from './withDatabase';

export const usage =
  'torwatch user add --email E --role admin|analyst|viewer [--name N] [--password-stdin] | torwatch user list';

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') return add(rest);
  if (sub === 'list' && rest.length === 0) return list();
  throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
}

async function add(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { isRole } = await import('@/lib/auth/roles');
  if (!values.email) throw new UsageError('--email is required');
  if (!isRole(values.role))
    throw new UsageError(`--role must be admin, analyst or viewer${values.role ? `, got "${values.role}"` : ''}`);
  let password: string;
  if (values['password-stdin']) password = await readPasswordLine();
  else {
    password = await promptPassword('password: ');
    if ((await promptPassword('again: ')) !== password) throw new CommandError('the passwords differ');
  }
  const { createUser, UserInputError } = await import('@/lib/auth/users');
  const { audit } = await import('@/lib/auth/audit');
  const role = values.role;
  return withDatabase(async () => {
    try {
      const user = await createUser({ email: values.email!, role, password, name: values.name });
      await audit(null, 'user.create', user.email, { role, via: 'cli' });
      console.log(`created ${user.role} ${user.email}`);
      return 0;
    } catch (error) {
      if (error instanceof UserInputError) throw new CommandError(error.message);
      throw error;
    }
  });
}

async function list(): Promise<number> {
  const { listUsers } = await import('@/lib/auth/users');
  return withDatabase(async () => {
    for (const user of await listUsers()) {
      const state = user.disabled
        ? 'disabled'
        : user.lockedUntil && user.lockedUntil > new Date()
          ? 'locked'
          : 'active';
      console.log(`${user.email}\t${user.role ?? '-'}\t${state}`);
    }
    return 0;
  });
}
