import type { Actor } from './roles';

/**
 * Whoever runs the `torwatch` CLI on the server: they hold the database's connection string (or its data directory),
 * so the database is their authority and the application's roles add nothing. Queries that take an actor get this
 * one from the CLI; it is never produced by a web request.
 */
export const LOCAL_OPERATOR: Actor = { kind: 'user', id: 'local-operator', label: 'torwatch CLI', role: 'admin' };
