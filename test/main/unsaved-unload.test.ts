// Closing the window with an unsaved lesson: main asks, and only "Close without saving" lets the
// window go; Esc or closing the question keeps the teacher's changes.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { LEAVE_QUESTION, askBeforeLosingLesson, leaveDespiteUnsaved } from '../../src/main/unsaved-unload';

describe('leaving with an unsaved lesson', () => {
  it('leaves only on the first button; the cancel and default answers keep editing', () => {
    expect(leaveDespiteUnsaved(() => 0)).toBe(true);
    expect(leaveDespiteUnsaved(() => 1)).toBe(false);
    expect(LEAVE_QUESTION.buttons?.[0]).toBe('Close without saving');
    expect(LEAVE_QUESTION.cancelId).toBe(1);
    expect(LEAVE_QUESTION.defaultId).toBe(1);
  });

  it('shows one question, in words', () => {
    const asked: unknown[] = [];
    leaveDespiteUnsaved((options) => {
      asked.push(options);
      return 1;
    });
    expect(asked).toEqual([LEAVE_QUESTION]);
    expect(LEAVE_QUESTION.message).toMatch(/changes that are not saved/);
  });

  it("lets the window's held-up unload go on only when the answer is to leave", () => {
    const webContents = new EventEmitter();
    const answers = [1, 0];
    askBeforeLosingLesson({ webContents }, () => answers.shift() ?? 1);
    const prevented: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      let allowed = false;
      webContents.emit('will-prevent-unload', { preventDefault: () => (allowed = true) });
      prevented.push(allowed);
    }
    expect(prevented).toEqual([false, true]);
  });
});
