/** The answer to a command: done, or refused with a message the user can act on. */
export type CommandResult = { ok: true } | { ok: false; message: string };

/**
 * The answer to a command that first asks the user in a dialog: done (with what it gives),
 * cancelled by the user (nothing happened, nothing to say), or refused with a message.
 */
export type DialogResult<T extends object> = ({ ok: true } & T) | { ok: false; canceled: true } | { ok: false; canceled: false; message: string };
