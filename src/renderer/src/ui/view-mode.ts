/**
 * Simple or Advanced: how much of the Train screen a student sees. Simple shows the preset, the
 * learning rate, the epochs and Train; Advanced shows every setting. The mode speaks through the
 * control registry's 'mode' layer, which a lesson's layer overrides (a lesson that shows a control
 * Simple hides wins), and the choice is remembered in the page's storage.
 */
import { CONTROL_IDS, type ControlId, type ControlStates } from '$shared/lesson/lesson-controls';

export const VIEW_MODES = ['simple', 'advanced'] as const;
export type ViewModeName = (typeof VIEW_MODES)[number];

/** The Train controls Simple keeps; the Train button itself is no registered control and always shows. */
export const SIMPLE_KEEPS: readonly ControlId[] = ['train.preset', 'train.learningRate', 'train.epochs'];

/** Where the choice is kept between sessions (the renderer's localStorage). */
export const VIEW_MODE_KEY = 'mlp-lab.view-mode';

/** The part of the page's localStorage the switch uses (a stand-in in tests). */
export interface ModeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Advanced, the app as it always was, until a person chooses Simple. */
export const DEFAULT_VIEW_MODE: ViewModeName = 'advanced';

/** The 'mode' layer's states: Simple hides every other Train control; Advanced says nothing. */
export function viewModeStates(mode: ViewModeName): ControlStates | null {
  if (mode === 'advanced') return null;
  const states: ControlStates = {};
  for (const id of CONTROL_IDS) if (id.startsWith('train.') && !SIMPLE_KEEPS.includes(id)) states[id] = 'hidden';
  return states;
}

/** The remembered mode; the default when nothing (or something unknown) is stored, or storage fails. */
export function readViewMode(storage: Pick<ModeStorage, 'getItem'> | null): ViewModeName {
  try {
    const stored = storage?.getItem(VIEW_MODE_KEY);
    return (VIEW_MODES as readonly unknown[]).includes(stored) ? (stored as ViewModeName) : DEFAULT_VIEW_MODE;
  } catch {
    return DEFAULT_VIEW_MODE;
  }
}
