import 'server-only';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { forbidden, redirect, unstable_rethrow } from 'next/navigation';
import { ZodError, type ZodType, type z } from 'zod';
import { QueryForbiddenError } from './authorise';
import { auditAddress } from './clientAddress';
import { hasRole, type Actor, type Role } from './roles';
import { sessionActor } from './session';
import { UserInputError } from './users';

/** Thrown by an action for a failure the user should read as it is ("Choose a role."). */
export class ActionError extends Error {}

type ErrorClass = abstract new (...args: never[]) => Error;

export interface ActionContext<I> {
  actor: Actor; // for role 'anyone' without a session: ANONYMOUS_ACTOR
  input: I;
  ip: string | null; // the client address (lib/auth/clientAddress.ts), for audit rows
}

export interface ActionSpec<Args extends unknown[], S extends ZodType, R> {
  name: string; // names the action in the server log
  role: Role | 'anyone'; // the least role; 'anyone' only for first-run setup, which checks its own token
  input: S; // validates what `from` extracts
  from: (...args: Args) => unknown;
  fail: (message: string) => R; // how the action answers a failure
  expected?: ErrorClass[]; // error classes (beyond the common ones) whose message the user may read
}

export const ANONYMOUS_ACTOR: Actor = { kind: 'user', id: 'anonymous', label: 'anonymous', role: null };
const ALWAYS_EXPECTED: ErrorClass[] = [ActionError, UserInputError, QueryForbiddenError];

/**
 * The one wrapper for server actions (issue #14), as apiRoute is for route handlers: authenticate (no session →
 * /login; too low a role → 403 via forbidden()) → validate the input with zod → run → answer. Expected errors (zod
 * issues, ActionError, UserInputError, and the classes in `expected`) become the user's message; anything else is
 * logged with a reference and answered "Something went wrong (ref …)", so no stack, SQL or path reaches a browser.
 */
export function serverAction<Args extends unknown[], S extends ZodType, R>(
  spec: ActionSpec<Args, S, R>,
  run: (ctx: ActionContext<z.output<S>>) => Promise<R>,
): (...args: Args) => Promise<R> {
  return async (...args: Args): Promise<R> => {
    const requestHeaders = await headers();
    let actor: Actor;
    if (spec.role === 'anyone') actor = (await sessionActor(requestHeaders).catch(() => null)) ?? ANONYMOUS_ACTOR;
    else {
      const found = await sessionActor(requestHeaders);
      if (!found) redirect('/login');
      if (!hasRole(found, spec.role)) forbidden();
      actor = found;
    }
    try {
      const input = spec.input.parse(spec.from(...args)) as z.output<S>;
      return await run({ actor, input, ip: auditAddress(requestHeaders) });
    } catch (error) {
      unstable_rethrow(error); // redirect(), notFound(), forbidden() inside `run`
      const message = expectedMessage(error, [...ALWAYS_EXPECTED, ...(spec.expected ?? [])]);
      if (message !== null) return spec.fail(message);
      const ref = randomUUID().slice(0, 8);
      console.error(`server action ${spec.name} failed (ref ${ref}):`, error);
      return spec.fail(`Something went wrong (ref ${ref}).`);
    }
  };
}

function expectedMessage(error: unknown, expected: ErrorClass[]): string | null {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    return sentence(field ? `${field}: ${issue.message}` : (issue?.message ?? 'invalid input'));
  }
  if (expected.some((type) => error instanceof type)) return sentence((error as Error).message);
  return null;
}

/** "the password is too common" → "The password is too common." */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** A FormData's fields as a plain object (the last value per name); {} for anything that is not a FormData. */
export function formFields(form: unknown): Record<string, string> {
  if (!(form instanceof FormData)) return {};
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === 'string') fields[key] = value;
  return fields;
}
