/** The answer to a command: done, or refused with a message the user can act on. */
export type CommandResult = { ok: true } | { ok: false; message: string };
