// The control registry's rules: which layer decides a control's state, and that every control id
// a lesson may name is declared by a component (and every declared id is one a lesson may name).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_IDS, LESSON_SCREENS } from '../../src/shared/lesson/lesson-controls';
import { decideControl } from '../../src/renderer/src/ui/controls/control-layers';

const lesson = { states: { 'train.seed': 'hidden', 'train.epochs': 'locked', 'train.batchSize': 'shown' } as const, lockedNote: 'Set by the lesson' };
const mode = { states: { 'train.seed': 'shown', 'train.batchSize': 'hidden', 'train.momentum': 'hidden', 'train.init': 'locked' } as const, lockedNote: 'Advanced setting' };

describe('deciding a control', () => {
  it('shows a control no layer names', () => {
    expect(decideControl({}, 'train.learningRate')).toEqual({ state: 'shown', note: null });
    expect(decideControl({ lesson, mode }, 'train.learningRate')).toEqual({ state: 'shown', note: null });
  });

  it("lets the lesson win over the mode, and the mode decide what the lesson leaves alone", () => {
    expect(decideControl({ lesson, mode }, 'train.seed')).toEqual({ state: 'hidden', note: null });
    expect(decideControl({ lesson, mode }, 'train.batchSize')).toEqual({ state: 'shown', note: null });
    expect(decideControl({ lesson, mode }, 'train.momentum')).toEqual({ state: 'hidden', note: null });
    expect(decideControl({ mode }, 'train.batchSize')).toEqual({ state: 'hidden', note: null });
  });

  it("gives a locked control the deciding layer's note", () => {
    expect(decideControl({ lesson, mode }, 'train.epochs')).toEqual({ state: 'locked', note: 'Set by the lesson' });
    expect(decideControl({ lesson, mode }, 'train.init')).toEqual({ state: 'locked', note: 'Advanced setting' });
  });
});

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? svelteFiles(path) : name.endsWith('.svelte') ? [path] : [];
  });
}

describe('the control ids', () => {
  const renderer = join(import.meta.dirname, '..', '..', 'src', 'renderer', 'src');
  const declared = new Set(svelteFiles(renderer).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/<Control id="([^"]+)"/g)].map((m) => m[1])));

  it('are each declared by a component, and no component declares another', () => {
    expect([...declared].sort()).toEqual([...CONTROL_IDS].sort());
  });

  it("are on the app's screens, named as the screen table names them", () => {
    const screens = [...readFileSync(join(renderer, 'app', 'screens.ts'), 'utf8').matchAll(/^    id: '([a-z]+)',$/gm)].map((m) => m[1]);
    expect(screens).toEqual([...LESSON_SCREENS]);
  });
});
