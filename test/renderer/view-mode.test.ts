// Simple / Advanced as a layer of the control registry: what Simple hides, that a lesson overrides
// it, and how the choice is read back.
import { describe, expect, it } from 'vitest';
import { CONTROL_IDS } from '../../src/shared/lesson/lesson-controls';
import { decideControl } from '../../src/renderer/src/ui/controls/control-layers';
import { DEFAULT_VIEW_MODE, SIMPLE_KEEPS, VIEW_MODE_KEY, readViewMode, viewModeStates } from '../../src/renderer/src/ui/view-mode';

describe('view mode', () => {
  it('Simple hides every Train control but the preset, the learning rate and the epochs; Advanced hides nothing', () => {
    const simple = viewModeStates('simple') ?? {};
    const trainIds = CONTROL_IDS.filter((id) => id.startsWith('train.'));
    expect(trainIds.filter((id) => simple[id] !== 'hidden')).toEqual([...SIMPLE_KEEPS]);
    expect(Object.keys(simple).every((id) => id.startsWith('train.'))).toBe(true);
    expect(viewModeStates('advanced')).toBeNull();
  });

  it('yields to a lesson: a control the lesson shows or locks is decided by the lesson', () => {
    const mode = { states: viewModeStates('simple') ?? {}, lockedNote: '' };
    expect(decideControl({ mode }, 'train.batchSize').state).toBe('hidden');
    expect(decideControl({ mode, lesson: { states: { 'train.batchSize': 'shown' }, lockedNote: 'Set by the lesson' } }, 'train.batchSize').state).toBe('shown');
    expect(decideControl({ mode, lesson: { states: { 'train.learningRate': 'locked' }, lockedNote: 'Set by the lesson' } }, 'train.learningRate')).toEqual({ state: 'locked', note: 'Set by the lesson' });
    // The lesson names only some controls: Simple still hides the rest.
    expect(decideControl({ mode, lesson: { states: { 'train.batchSize': 'shown' }, lockedNote: '' } }, 'train.seed').state).toBe('hidden');
  });

  it('reads back the remembered mode, and falls back to Advanced on nothing, nonsense or a failing storage', () => {
    const stored = (value: string | null) => ({ getItem: (key: string) => (key === VIEW_MODE_KEY ? value : null) });
    expect(readViewMode(stored('simple'))).toBe('simple');
    expect(readViewMode(stored('advanced'))).toBe('advanced');
    expect(DEFAULT_VIEW_MODE).toBe('advanced');
    expect(readViewMode(stored(null))).toBe('advanced');
    expect(readViewMode(stored('expert'))).toBe('advanced');
    expect(readViewMode(null)).toBe('advanced');
    expect(readViewMode({ getItem: () => { throw new Error('SecurityError'); } })).toBe('advanced');
  });
});
