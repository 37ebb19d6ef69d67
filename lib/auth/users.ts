import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { getPrisma } from '@/lib/db/client';
import { passwordProblem } from './passwordRules';
import { isRole, type Role } from './roles';
import { clearSetupToken } from './setupToken';
import { clearSignInFailures, signInStates } from './signInThrottle';

// Accounts: created by the setup page, `torwatch user add` and the Users page — never by open sign-up. The password
// is hashed the way Better Auth verifies it (its scrypt `hashPassword`) and kept in its `account` table.
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  disabled: boolean;
  lockedUntil: Date | null; // sign-in backoff (lib/auth/signInThrottle.ts): refused until then
  failedLogins: number;
  createdAt: Date;
}

/**
 * A plausible e-mail address, checked in linear time (the old one regex backtracked quadratically on long inputs
 * like "a@" + "a.".repeat(50_000)): the length is bounded first, then one '@', then a dotted domain.
 */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.indexOf('@');
  if (at < 1 || at !== value.lastIndexOf('@')) return false;
  if (/\s/.test(value)) return false;
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return dot > 0 && dot < domain.length - 1 && !domain.startsWith('.');
}

export class UserInputError extends Error {}

/** `onlyIfNoUsers` (first-run setup) makes the check and the insert one serialised step, so two setups cannot both win. */
export async function createUser(input: {
  email: string;
  role: Role;
  password: string;
  name?: string;
  onlyIfNoUsers?: boolean;
}): Promise<UserSummary> {
  const email = input.email.trim().toLowerCase();
  if (!isEmailAddress(email)) throw new UserInputError(`"${input.email}" is not an e-mail address`);
  if (!isRole(input.role)) throw new UserInputError(`role must be admin, analyst or viewer, got "${input.role}"`);
  const problem = passwordProblem(input.password, email);
  if (problem) throw new UserInputError(problem);
  const prisma = getPrisma();
  if (await prisma.user.findUnique({ where: { email } }))
    throw new UserInputError(`a user with e-mail ${email} already exists`);
  const id = randomUUID();
  const password = await hashPassword(input.password);
  const user = await prisma.$transaction(async (tx) => {
    if (input.onlyIfNoUsers) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('torwatch.first-admin'))`;
      if ((await tx.user.count()) > 0) throw new UserInputError('setup is already done: an account exists');
    }
    const created = await tx.user.create({
      data: { id, email, name: input.name?.trim() || email.split('@')[0], role: input.role, emailVerified: true },
    });
    await tx.account.create({
      data: { id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password },
    });
    return created;
  });
  clearSetupToken();
  return (await withSignInState([toSummary(user)]))[0];
}

export async function countUsers(): Promise<number> {
  return getPrisma().user.count();
}

export async function listUsers(): Promise<UserSummary[]> {
  const users = await getPrisma().user.findMany({ orderBy: { email: 'asc' } });
  return withSignInState(users.map(toSummary));
}

export async function findUser(id: string): Promise<UserSummary | null> {
  const user = await getPrisma().user.findUnique({ where: { id } });
  return user ? (await withSignInState([toSummary(user)]))[0] : null;
}

/** Refuses to leave the system without an enabled admin. */
async function assertAnotherAdmin(userId: string): Promise<void> {
  const others = await getPrisma().user.count({ where: { role: 'admin', id: { not: userId }, NOT: { banned: true } } });
  if (others === 0) throw new UserInputError('this is the last enabled admin; make another user admin first');
}

export async function setUserRole(userId: string, role: Role): Promise<void> {
  if (!isRole(role)) throw new UserInputError(`role must be admin, analyst or viewer, got "${role}"`);
  const user = await findUser(userId);
  if (!user) throw new UserInputError('no such user');
  if (user.role === 'admin' && role !== 'admin') await assertAnotherAdmin(userId);
  await getPrisma().user.update({ where: { id: userId }, data: { role } });
}

/** Disables (or re-enables) an account; disabling ends its sessions at once. */
export async function setUserDisabled(userId: string, disabled: boolean): Promise<void> {
  const user = await findUser(userId);
  if (!user) throw new UserInputError('no such user');
  if (disabled && user.role === 'admin') await assertAnotherAdmin(userId);
  const prisma = getPrisma();
  await prisma.$transaction([
    prisma.user.update({
      where: { id: userId },
      data: { banned: disabled, banReason: disabled ? 'disabled by an admin' : null },
    }),
    ...(disabled ? [prisma.session.deleteMany({ where: { userId } })] : []),
  ]);
  await clearSignInFailures(user.email);
}

/** Admins' "unlock": the account's sign-in backoff is forgotten. */
export async function unlockUser(userId: string): Promise<void> {
  const user = await findUser(userId);
  if (!user) throw new UserInputError('no such user');
  await clearSignInFailures(user.email);
}

export async function setUserPassword(userId: string, password: string): Promise<void> {
  const user = await findUser(userId);
  if (!user) throw new UserInputError('no such user');
  const problem = passwordProblem(password, user.email);
  if (problem) throw new UserInputError(problem);
  const prisma = getPrisma();
  const hash = await hashPassword(password);
  await prisma.$transaction([
    prisma.account.updateMany({ where: { userId, providerId: 'credential' }, data: { password: hash } }),
    prisma.session.deleteMany({ where: { userId } }),
  ]);
  await clearSignInFailures(user.email);
}

export async function deleteUser(userId: string): Promise<void> {
  const user = await findUser(userId);
  if (!user) throw new UserInputError('no such user');
  if (user.role === 'admin') await assertAnotherAdmin(userId);
  await getPrisma().user.delete({ where: { id: userId } });
}

function toSummary(user: {
  id: string;
  email: string;
  name: string;
  role: string | null;
  banned: boolean | null;
  createdAt: Date;
}): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: isRole(user.role) ? user.role : null,
    disabled: !!user.banned,
    lockedUntil: null,
    failedLogins: 0,
    createdAt: user.createdAt,
  };
}

async function withSignInState(users: UserSummary[]): Promise<UserSummary[]> {
  const states = await signInStates(users.map((user) => user.email));
  return users.map((user) => {
    const state = states.get(user.email);
    return state ? { ...user, failedLogins: state.failures, lockedUntil: state.blockedUntil } : user;
  });
}
