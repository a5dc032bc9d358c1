/**
 * The app's keyboard shortcuts, decided by one pure function from the key and what has the focus,
 * so the rules are tested on their own and listed in one place (the "?" dialog shows SHORTCUTS).
 *
 * A key never acts while the user types in a field or while a dialog or pop-up menu is open (it
 * has the keys then). Space is the run's pause/resume only when the focus is on no control that Space
 * itself presses: on a button, Space presses that button (on the focused Pause button it pauses,
 * by the button's own means, so the two never both act).
 */
export type ShortcutAction = 'toggle-presentation' | 'pause-or-resume' | 'stop' | 'leave-full-screen' | 'show-shortcuts';

export interface ShortcutKey {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** What the rules read of the element a key goes to (an Element; plain data in tests). */
export interface KeyTarget {
  tagName: string;
  getAttribute(name: string): string | null;
  isContentEditable?: boolean;
}

export interface ShortcutContext {
  /** The element the key goes to (the focused one, or the body). */
  target: KeyTarget | null;
  /** A modal dialog or a pop-up menu is open. */
  dialogOpen: boolean;
  /** A run is starting, running or paused. */
  runActive: boolean;
  /** The window is full screen. */
  fullScreen: boolean;
}

/** What the "?" dialog lists: the keys, and what each does. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Space', does: 'Pause or resume the run (when no button or field has the focus)' },
  { keys: 'Esc', does: 'Stop the run; with no run going, leave full screen' },
  { keys: 'F5', does: 'Presentation mode on or off (large type, full screen, settings folded)' },
  { keys: 'F11', does: 'Full screen on or off' },
  { keys: '← →', does: 'Next or previous screen, when a screen tab has the focus' },
  { keys: '?', does: 'This list of shortcuts' },
];

/** Elements where keys are typed: no shortcut may take a key from them. */
function isTypingTarget(target: KeyTarget): boolean {
  if (target.isContentEditable === true) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target.getAttribute('type') ?? 'text').toLowerCase();
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(type);
}

/** Elements that Space presses or toggles itself. */
function isPressedBySpace(target: KeyTarget): boolean {
  if (['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'A'].includes(target.tagName)) return true;
  const role = target.getAttribute('role');
  return role !== null && ['button', 'tab', 'checkbox', 'radio', 'switch', 'menuitem', 'option', 'link'].includes(role);
}

export function shortcutFor(key: ShortcutKey, context: ShortcutContext): ShortcutAction | null {
  if (key.ctrlKey || key.altKey || key.metaKey || context.dialogOpen) return null;
  const target = context.target;
  const typing = target !== null && isTypingTarget(target);
  switch (key.key) {
    case 'F5':
      return 'toggle-presentation';
    case '?':
      return typing ? null : 'show-shortcuts';
    case ' ':
      if (!context.runActive || typing || (target !== null && isPressedBySpace(target))) return null;
      return 'pause-or-resume';
    case 'Escape':
      if (typing) return null;
      if (context.runActive) return 'stop';
      return context.fullScreen ? 'leave-full-screen' : null;
    default:
      return null;
  }
}
