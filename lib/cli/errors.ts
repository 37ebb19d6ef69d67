/** A command line the user got wrong: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/** A command that could not be done (nothing committed): one line on stderr, exit status 1. */
export class CommandError extends Error {}
