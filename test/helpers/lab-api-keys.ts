import { COMMAND_CHANNELS, FULL_SCREEN_EVENT_CHANNEL, RUN_EVENT_CHANNEL, STUDY_EVENT_CHANNEL, type LabCommand } from '../../src/shared/ipc-channels';
import type { LabApi } from '../../src/shared/lab-api';

/**
 * The event feeds of `window.lab`, by method: the type demands exactly the LabApi keys that are not
 * commands, so a feed added to LabApi without one here fails the type check.
 */
export const EVENT_FEEDS: Record<Exclude<keyof LabApi, LabCommand>, string> = {
  onRunEvent: RUN_EVENT_CHANNEL,
  onStudyEvent: STUDY_EVENT_CHANNEL,
  onFullScreenChange: FULL_SCREEN_EVENT_CHANNEL,
};

/** Every key `window.lab` must have, derived from the channel table (never a count), sorted. */
export const LAB_API_KEYS: readonly string[] = [...Object.keys(COMMAND_CHANNELS), ...Object.keys(EVENT_FEEDS)].sort();
