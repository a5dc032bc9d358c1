// The lesson editor's plain logic: a step captured from what the app shows (each screen's parts
// switched on, what cannot be captured said in words), steps moved and deleted, and a lesson made
// of captured steps going through the format's reader and back unchanged; a refused lesson's
// message turned into a sentence for the teacher.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/engine/training/run-config';
import { encodeBase64 } from '../../src/shared/lesson/base64';
import type { Lesson } from '../../src/shared/lesson/lesson';
import { LESSON_SCREENS } from '../../src/shared/lesson/lesson-controls';
import { parseLesson } from '../../src/shared/lesson/lesson-file';
import { captureStep, DEFAULT_PARTS, excludePart, includePart, lessonStudyOf, type AppNow } from '../../src/renderer/src/features/lessons/editor/lesson-capture';
import { checkLesson, deleteStep, draftStepsOf, lessonOf, moveStep, plainMessage, selectionAfterDelete, withoutModels } from '../../src/renderer/src/features/lessons/editor/lesson-draft';
import { describePart } from '../../src/renderer/src/features/lessons/editor/step-summary';
import { fullLesson, tinyModelBytes } from '../helpers/lesson-fixture';

function appNow(changes: Partial<AppNow> = {}): AppNow {
  return {
    screen: 'train',
    config: { ...PRESETS.blog, learningRate: 0.05 },
    datasetId: 'mnist',
    datasetName: 'MNIST',
    study: { base: PRESETS.blog, epochs: 2, blog: false, variations: [{ key: 'batchSize', values: [16, 64] }], targetPercent: 90, name: ' Batch sizes ' },
    perceptron: { data: 'xor', learningRate: 0.001, epochs: 3, randomStart: true },
    perceptronCustomised: false,
    backpropImage: 7,
    ...changes,
  };
}

describe('capturing a step', () => {
  it("sets only its screen's parts, titled after the screen, and keeps every part it captured", () => {
    const { step, captured, notes } = captureStep(appNow(), 1);
    expect(step).toEqual({
      title: 'Step 1: Train',
      text: '',
      screen: 'train',
      state: { config: { full: { ...PRESETS.blog, learningRate: 0.05 } }, dataset: { builtIn: 'mnist' } },
      controls: {},
      questions: [],
    });
    expect(Object.keys(captured).sort()).toEqual(['backpropImage', 'config', 'dataset', 'perceptron', 'study']);
    expect(captured.study).toEqual({ base: { full: PRESETS.blog }, epochs: 2, vary: [{ key: 'batchSize', values: [16, 64] }], targetPercent: 90, name: 'Batch sizes' });
    expect(notes).toEqual([]);
  });

  it('on every screen, sets that screen\'s parts', () => {
    for (const screen of LESSON_SCREENS) {
      const { step } = captureStep(appNow({ screen }), 3);
      expect(Object.keys(step.state).sort(), screen).toEqual([...DEFAULT_PARTS[screen]].sort());
      expect(step.screen).toBe(screen);
    }
    expect(captureStep(appNow({ screen: 'perceptron' }), 2).step.state).toEqual({ perceptron: { data: 'xor', learningRate: 0.001, epochs: 3, randomStart: true } });
    expect(captureStep(appNow({ screen: 'backprop' }), 2).step.state.backpropImage).toBe(7);
  });

  it('says what it could not capture: a Train form with a problem, a folder dataset, moved clusters', () => {
    const { step, captured, notes } = captureStep(appNow({ config: null, datasetId: 'folder-3', datasetName: 'Fashion' }), 1);
    expect(step.state).toEqual({});
    expect(captured.config).toBeUndefined();
    expect(captured.dataset).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/Train settings have a problem/), expect.stringMatching(/^The dataset "Fashion" is a folder on this computer/)]);
    expect(captureStep(appNow({ screen: 'perceptron', perceptronCustomised: true }), 1).notes).toEqual([expect.stringMatching(/made afresh from the blog's clusters/)]);
    expect(captureStep(appNow({ backpropImage: null, study: null }), 1).captured).not.toHaveProperty('backpropImage');
  });

  it("takes the blog's sweeps or the boxes' grid as a study, and nothing while the grid does not read", () => {
    const base = { base: PRESETS.blog, epochs: 1, targetPercent: 80, name: '' };
    expect(lessonStudyOf({ ...base, blog: true, variations: null })).toEqual({ base: { full: PRESETS.blog }, epochs: 1, vary: 'blog', targetPercent: 80 });
    expect(lessonStudyOf({ ...base, blog: false, variations: null })).toBeNull();
    expect(lessonStudyOf({ ...base, blog: false, variations: [] })).toBeNull();
    expect(lessonStudyOf({ ...base, blog: true, variations: null, name: 'x'.repeat(150) })?.name).toHaveLength(100);
  });

  it('switches a captured part on and off; a part never captured stays off', () => {
    const { step, captured } = captureStep(appNow({ screen: 'data' }), 1);
    includePart(step.state, captured, 'backpropImage');
    expect(step.state.backpropImage).toBe(7);
    excludePart(step.state, 'dataset');
    expect(step.state).toEqual({ backpropImage: 7 });
    includePart(step.state, captured, 'model');
    expect(step.state).not.toHaveProperty('model');
    // The step holds a copy: editing it leaves what was captured as it was.
    includePart(step.state, captured, 'perceptron');
    step.state.perceptron!.epochs = 9;
    expect(captured.perceptron?.epochs).toBe(3);
  });
});

describe('moving and deleting steps', () => {
  it('moves a step up or down; a move off either end changes nothing', () => {
    expect(moveStep(['a', 'b', 'c'], 1, 0)).toEqual(['b', 'a', 'c']);
    expect(moveStep(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveStep(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveStep(['a', 'b', 'c'], 2, 3)).toEqual(['a', 'b', 'c']);
    const steps = ['a', 'b'];
    moveStep(steps, 0, 1);
    expect(steps).toEqual(['a', 'b']);
  });

  it('deletes a step and keeps a sensible step selected', () => {
    expect(deleteStep(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
    expect(deleteStep(['a'], 0)).toEqual([]);
    expect(deleteStep(['a', 'b'], 5)).toEqual(['a', 'b']);
    expect(selectionAfterDelete(2, 0, 2)).toBe(1);
    expect(selectionAfterDelete(1, 1, 2)).toBe(1);
    expect(selectionAfterDelete(2, 2, 2)).toBe(1);
    expect(selectionAfterDelete(0, 1, 2)).toBe(0);
    expect(selectionAfterDelete(0, 0, 0)).toBe(0);
  });
});

describe('checking the lesson with the format reader', () => {
  it('a lesson of captured steps goes through the reader and back unchanged', () => {
    const steps = LESSON_SCREENS.map((screen, i) => captureStep(appNow({ screen }), i + 1));
    steps[0].step.controls = { 'train.learningRate': 'locked', 'train.seed': 'hidden' };
    steps[0].step.questions = [{ question: 'Why **η**?', answer: 'It scales the step.' }, { question: 'And then?' }];
    steps[1].step.state.model = { name: 'Tiny', base64: encodeBase64(tinyModelBytes()) };
    const lesson: Lesson = { title: 'Captured', steps: steps.map((s) => s.step) };
    const checked = checkLesson(lesson);
    if (!checked.ok) throw new Error(checked.message);
    expect(parseLesson(checked.text, 'captured')).toEqual(lesson);
  });

  it('a lesson read from a file becomes draft steps and the same lesson again', () => {
    const drafts = draftStepsOf(fullLesson(), 10);
    expect(drafts.map((d) => d.key)).toEqual(fullLesson().steps.map((_, i) => 10 + i));
    expect(drafts[0].captured).toEqual(fullLesson().steps[0].state);
    expect(lessonOf(fullLesson().title, drafts)).toEqual(fullLesson());
  });

  it("says in plain words why the reader refuses a lesson", () => {
    const step = captureStep(appNow(), 1).step;
    expect(checkLesson({ title: 'x', steps: [] })).toEqual({ ok: false, message: 'The lesson has no steps yet: add one with "Save as lesson step".' });
    expect(checkLesson({ title: ' ', steps: [step] })).toEqual({ ok: false, message: "The lesson's title is empty." });
    expect(checkLesson({ title: 'x', steps: [step, { ...step, title: '' }] })).toEqual({ ok: false, message: "Step 2's title is empty." });
    expect(checkLesson({ title: 'x', steps: [{ ...step, text: 'a'.repeat(4001) }] })).toEqual({ ok: false, message: "Step 1's text has 4001 characters; at most 4000 are allowed." });
    expect(checkLesson({ title: 'x', steps: [{ ...step, state: { dataset: { folder: '../data' } } }] })).toEqual({ ok: false, message: expect.stringMatching(/^Step 1's state: dataset: folder "\.\.\/data" leaves the lesson's folder/) });
    expect(checkLesson({ title: 'x', steps: [{ ...step, questions: [{ question: 'Why?', answer: 'x\u202Ey' }] }] })).toEqual({ ok: false, message: expect.stringMatching(/^Step 1, question 1's answer contains control characters/) });
    expect(plainMessage('something else')).toBe('Something else');
  });

  it('leaves the models out of the check made at each keystroke', () => {
    const lesson = { title: 'x', steps: [{ ...captureStep(appNow(), 1).step, state: { model: { name: 'Broken', base64: 'AAA' } } }] };
    expect(checkLesson(lesson).ok).toBe(false);
    expect(checkLesson(withoutModels(lesson)).ok).toBe(true);
    expect(lesson.steps[0].state.model).toBeDefined();
  });
});

describe('the parts in words', () => {
  it('says what each part sets', () => {
    const { captured } = captureStep(appNow(), 1);
    expect(describePart(captured, 'config')).toBe(`${PRESETS.blog.layers.join('-')}, ReLU, learning rate 0.05, batch ${PRESETS.blog.batchSize}, ${PRESETS.blog.epochs} epochs`);
    expect(describePart(captured, 'dataset')).toBe('MNIST (built in)');
    expect(describePart(captured, 'study')).toBe('varying batch size (16, 64), 2 epochs, target 90 %');
    expect(describePart(captured, 'perceptron')).toBe('XOR, learning rate 0.001, 3 epochs, random start');
    expect(describePart(captured, 'backpropImage')).toBe('test image 7');
    expect(describePart({ dataset: { folder: 'data/fashion' } }, 'dataset')).toBe('the folder "data/fashion" beside the lesson file');
    expect(describePart({}, 'model')).toBe('');
  });
});
