import type { LabCommand } from '../../shared/ipc-channels';
import type { CommandHandlers, LabHandlers, SenderCheck } from './handler-types';

/**
 * The one sender check: each command first refuses a sender that is not the app's window, then
 * does its work. Handlers are written without it, so none can forget it.
 */
export function guardCommands<K extends LabCommand>(commands: Pick<CommandHandlers, K>, check: SenderCheck): Pick<LabHandlers, K> {
  const guarded = {} as Pick<LabHandlers, K>;
  for (const command of Object.keys(commands) as K[]) {
    const work = commands[command] as (...args: unknown[]) => Promise<unknown>;
    (guarded as Record<K, unknown>)[command] = async (sender: Parameters<SenderCheck>[1], ...args: unknown[]) => {
      check(command, sender);
      return work(...args);
    };
  }
  return guarded;
}
