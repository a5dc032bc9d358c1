/**
 * Closing or reloading the window while the lesson editor has unsaved changes: the page's
 * `beforeunload` handler cancels the unload, Electron then emits 'will-prevent-unload' (and would
 * otherwise keep the window open without a word), and main asks the teacher, as Electron's
 * documentation shows: `event.preventDefault()` there lets the window close after all.
 */
import type { MessageBoxSyncOptions } from 'electron';

export const LEAVE_QUESTION: MessageBoxSyncOptions = {
  type: 'question',
  buttons: ['Close without saving', 'Keep editing'],
  defaultId: 1,
  cancelId: 1,
  title: 'Unsaved lesson',
  message: 'The lesson you are editing has changes that are not saved.',
  detail: 'Close MLP Lab anyway and lose them, or keep editing (then Save in the lesson editor)?',
};

/** Whether to leave: the answer to the question, by button index (Esc and closing the box keep editing). */
export function leaveDespiteUnsaved(ask: (options: MessageBoxSyncOptions) => number): boolean {
  return ask(LEAVE_QUESTION) === 0;
}

/** What the question needs of the window: its page's 'will-prevent-unload' (a stand-in in the tests). */
export interface UnloadingWindow {
  webContents: { on(event: 'will-prevent-unload', listener: (event: { preventDefault(): void }) => void): unknown };
}

/** Asks on each held-up unload; `ask` shows the question (Electron's `dialog.showMessageBoxSync` on the window). */
export function askBeforeLosingLesson(window: UnloadingWindow, ask: (options: MessageBoxSyncOptions) => number): void {
  window.webContents.on('will-prevent-unload', (event) => {
    if (leaveDespiteUnsaved(ask)) event.preventDefault();
  });
}
