import type { LabCommand } from '../../shared/ipc-channels';
import type { LabApi } from '../../shared/lab-api';

/** Who sent an IPC message, as far as the checks need to know. */
export interface SenderInfo {
  /** The message came from the top-level frame of the app's own window (not a subframe or another window). */
  fromAppMainFrame: boolean;
  /** The URL shown by the sending frame; '' when the frame is gone. */
  url: string;
}

/** One handler per command; arguments arrive as `unknown` because they come from the renderer. */
export type LabHandlers = {
  [K in LabCommand]: (sender: SenderInfo, ...args: unknown[]) => Promise<Awaited<ReturnType<LabApi[K]>>>;
};

/** What a command does once main knows the app's window asked: the renderer's arguments, unchecked. */
export type CommandHandlers = {
  [K in LabCommand]: (...args: unknown[]) => Promise<Awaited<ReturnType<LabApi[K]>>>;
};

/** Throws unless the sender is the app's window; the message names the command. */
export type SenderCheck = (command: LabCommand, sender: SenderInfo) => void;
