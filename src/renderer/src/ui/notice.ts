/** What the last action on a saved model or study did, or why it failed: one line by the list. */
import { errorMessage } from './errors';

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/** An action's answer: done (with its own words, if it has any), or refused with a message. */
export type ActionResult = { ok: true; text?: string } | { ok: false; message: string };

/** A screen's state that runs such actions: busy while one runs, and the notice of the last one. */
export interface ActionBoard {
  busy: boolean;
  notice: Notice | null;
}

/**
 * Runs one action for `board`: busy meanwhile, then a notice of how it went (its own words or
 * `success` when done, its message or the error's when not), then `after` (the list read again),
 * whatever happened. Resolves to whether it was done.
 */
export async function runAction(board: ActionBoard, action: () => Promise<ActionResult>, success: string, after: () => Promise<void>): Promise<boolean> {
  board.busy = true;
  let done = false;
  try {
    const result = await action();
    done = result.ok;
    board.notice = result.ok ? { kind: 'ok', text: result.text ?? success } : { kind: 'error', text: result.message };
  } catch (error) {
    board.notice = { kind: 'error', text: errorMessage(error) };
  } finally {
    board.busy = false;
    await after();
  }
  return done;
}
