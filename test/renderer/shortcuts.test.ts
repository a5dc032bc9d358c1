import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyTarget, type ShortcutContext } from '../../src/renderer/src/app/shortcuts';

/** An element as the rules see it: its tag and attributes. */
function element(tagName: string, attributes: Record<string, string> = {}, isContentEditable = false): KeyTarget {
  return { tagName, getAttribute: (name) => attributes[name] ?? null, isContentEditable };
}

const BODY = element('BODY');
const key = (name: string, modifiers: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({
  key: name,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...modifiers,
});
const running: ShortcutContext = { target: BODY, dialogOpen: false, runActive: true, fullScreen: false };
const idle: ShortcutContext = { ...running, runActive: false };

describe('shortcutFor', () => {
  it('Space pauses or resumes a run when the focus is on the page or on text, not on a control Space presses', () => {
    expect(shortcutFor(key(' '), running)).toBe('pause-or-resume');
    expect(shortcutFor(key(' '), { ...running, target: element('P') })).toBe('pause-or-resume');
    expect(shortcutFor(key(' '), { ...running, target: element('DIV', { role: 'group' }) })).toBe('pause-or-resume');
    // On a button (the Pause button included) Space presses that button itself.
    for (const target of [element('BUTTON'), element('DIV', { role: 'tab' }), element('A'), element('SUMMARY'), element('INPUT', { type: 'checkbox' })]) {
      expect(shortcutFor(key(' '), { ...running, target })).toBeNull();
    }
    expect(shortcutFor(key(' '), idle)).toBeNull();
  });

  it('Esc stops a run; with none, it leaves full screen, and otherwise does nothing', () => {
    expect(shortcutFor(key('Escape'), running)).toBe('stop');
    expect(shortcutFor(key('Escape'), { ...running, fullScreen: true })).toBe('stop');
    expect(shortcutFor(key('Escape'), { ...idle, fullScreen: true })).toBe('leave-full-screen');
    expect(shortcutFor(key('Escape'), idle)).toBeNull();
    // A focused button does not keep Esc from stopping the run.
    expect(shortcutFor(key('Escape'), { ...running, target: element('BUTTON') })).toBe('stop');
  });

  it('no key is taken from a field being typed in', () => {
    for (const target of [element('INPUT'), element('INPUT', { type: 'number' }), element('INPUT', { type: 'TEXT' }), element('TEXTAREA'), element('SELECT'), element('DIV', {}, true)]) {
      for (const name of [' ', 'Escape', '?']) expect(shortcutFor(key(name), { ...running, target, fullScreen: true }), `${name} in ${target.tagName}`).toBeNull();
    }
    // F5 is no character: it works from a field too.
    expect(shortcutFor(key('F5'), { ...running, target: element('INPUT') })).toBe('toggle-presentation');
  });

  it('nothing acts while a dialog is open, or with Ctrl, Alt or Meta held', () => {
    for (const name of [' ', 'Escape', 'F5', '?']) {
      expect(shortcutFor(key(name), { ...running, dialogOpen: true, fullScreen: true })).toBeNull();
      for (const modifier of ['ctrlKey', 'altKey', 'metaKey'] as const) expect(shortcutFor(key(name, { [modifier]: true }), running)).toBeNull();
    }
  });

  it('F5 toggles presentation mode and ? shows the shortcuts, with or without a run', () => {
    for (const context of [running, idle]) {
      expect(shortcutFor(key('F5'), context)).toBe('toggle-presentation');
      expect(shortcutFor(key('?'), context)).toBe('show-shortcuts');
      expect(shortcutFor(key('?'), { ...context, target: element('BUTTON') })).toBe('show-shortcuts');
      expect(shortcutFor(key('a'), context)).toBeNull();
    }
  });
});
