/**
 * Connects the plain handlers to Electron's IPC: one `ipcMain.handle` per command, each told who
 * sent the message, and the run-event feed back to the window.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { COMMAND_CHANNELS, FULL_SCREEN_EVENT_CHANNEL, RUN_EVENT_CHANNEL, STUDY_EVENT_CHANNEL, type LabCommand } from '../../shared/ipc-channels';
import type { RunEvent } from '../../shared/lab-api';
import type { StudyEvent } from '../../shared/study-api';
import type { LabHandlers, SenderInfo } from './handler-types';

/** Describes the sender of an invoke: is it the top frame of our window, and what does it show. */
export function describeSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): SenderInfo {
  try {
    const frame = event.senderFrame;
    const fromOurWindow = window !== null && !window.isDestroyed() && event.sender === window.webContents;
    return { fromAppMainFrame: fromOurWindow && frame !== null && frame.parent === null, url: frame?.url ?? '' };
  } catch {
    // Reading a frame that navigated away or closed throws; such a sender is not trusted.
    return { fromAppMainFrame: false, url: '' };
  }
}

/** Registers every command handler; returns the function that removes them again. */
export function registerLabHandlers(
  ipcMain: IpcMain,
  handlers: LabHandlers,
  getWindow: () => BrowserWindow | null,
): () => void {
  const commands = Object.keys(COMMAND_CHANNELS) as LabCommand[];
  for (const command of commands) {
    ipcMain.handle(COMMAND_CHANNELS[command], (event, ...args: unknown[]) =>
      handlers[command](describeSender(event, getWindow()), ...args),
    );
  }
  return () => {
    for (const command of commands) ipcMain.removeHandler(COMMAND_CHANNELS[command]);
  };
}

/** Sends one run event to the window, if it is still open. */
export function sendRunEvent(window: BrowserWindow | null, event: RunEvent): void {
  if (window !== null && !window.isDestroyed()) window.webContents.send(RUN_EVENT_CHANNEL, event);
}

/** Sends one study event to the window, if it is still open. */
export function sendStudyEvent(window: BrowserWindow | null, event: StudyEvent): void {
  if (window !== null && !window.isDestroyed()) window.webContents.send(STUDY_EVENT_CHANNEL, event);
}

/** Tells the window it entered (true) or left (false) full screen, if it is still open. */
export function sendFullScreen(window: BrowserWindow | null, fullScreen: boolean): void {
  if (window !== null && !window.isDestroyed()) window.webContents.send(FULL_SCREEN_EVENT_CHANNEL, fullScreen);
}
