import { describe, expect, it } from 'vitest';
import { runAction, type ActionBoard, type ActionResult } from '../../src/renderer/src/ui/notice';

/** Runs `action` on a fresh board; returns what it resolved to, the board after, and whether it was busy while running. */
async function run(action: () => Promise<ActionResult>, success: string) {
  const board: ActionBoard = { busy: false, notice: null };
  let busyDuring = false;
  let busyAfter = true;
  const done = await runAction(
    board,
    async () => {
      busyDuring = board.busy;
      return action();
    },
    success,
    async () => {
      busyAfter = board.busy;
    },
  );
  return { done, board, busyDuring, busyAfter };
}

describe('an action on a saved model or study', () => {
  it('is busy while it runs, then says the success text, or the action\'s own words', async () => {
    expect(await run(async () => ({ ok: true }), 'Deleted.')).toEqual({ done: true, board: { busy: false, notice: { kind: 'ok', text: 'Deleted.' } }, busyDuring: true, busyAfter: false });
    expect((await run(async () => ({ ok: true, text: 'Export cancelled.' }), 'Exported.')).board.notice).toEqual({ kind: 'ok', text: 'Export cancelled.' });
  });

  it('says why it was refused, or what went wrong without Electron\'s prefix, and reads the list again all the same', async () => {
    expect(await run(async () => ({ ok: false, message: 'Give the study a name.' }), 'Renamed.')).toEqual({
      done: false,
      board: { busy: false, notice: { kind: 'error', text: 'Give the study a name.' } },
      busyDuring: true,
      busyAfter: false,
    });
    const rejected = async (): Promise<never> => {
      throw new Error("Error invoking remote method 'lab:delete-study': Error: Refused deleteStudy: it did not come from the MLP Lab window.");
    };
    const failed = await run(rejected, 'Deleted.');
    expect(failed.done).toBe(false);
    expect(failed.busyAfter).toBe(false);
    expect(failed.board.notice).toEqual({ kind: 'error', text: 'Refused deleteStudy: it did not come from the MLP Lab window.' });
  });
});
