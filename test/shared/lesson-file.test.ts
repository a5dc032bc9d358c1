// The .mlplesson format: what is written reads back the same, and every malformed, oversized or
// newer file is refused with one line that names the file, the place and the problem.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/engine/training/run-config';
import { decodeBase64, encodeBase64 } from '../../src/shared/lesson/base64';
import { LESSON_FORMAT, LESSON_FORMAT_VERSION, LESSON_LIMITS } from '../../src/shared/lesson/lesson';
import { CONTROL_IDS, LESSON_SCREENS, screenOfControl } from '../../src/shared/lesson/lesson-controls';
import { LessonFileError, parseLesson, serializeLesson } from '../../src/shared/lesson/lesson-file';
import { relativeFolderProblem, resolveLessonConfig } from '../../src/shared/lesson/lesson-state-read';
import { fullLesson, tinyModelBytes } from '../helpers/lesson-fixture';

const FILE = 'class.mlplesson';

/** The fixture as file JSON, edited by `edit`, then read; returns the refusal's message. */
function refusal(edit: (file: Record<string, any>) => void): string {
  const file = JSON.parse(serializeLesson(fullLesson())) as Record<string, any>;
  edit(file);
  try {
    parseLesson(JSON.stringify(file), FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(LessonFileError);
    return (error as Error).message;
  }
  throw new Error('the edited lesson was accepted');
}

describe('the lesson file format', () => {
  it('reads back what it writes, every part of the format included', () => {
    const lesson = fullLesson();
    const text = serializeLesson(lesson);
    expect(JSON.parse(text)).toMatchObject({ format: LESSON_FORMAT, formatVersion: LESSON_FORMAT_VERSION });
    expect(parseLesson(text, FILE)).toEqual(lesson);
    // And once more: writing what was read gives the same text.
    expect(serializeLesson(parseLesson(text, FILE))).toBe(text);
  });

  it('fills in what a hand-written step may leave out: no state, no controls, no questions', () => {
    const text = JSON.stringify({ format: LESSON_FORMAT, formatVersion: 1, title: 'Short', steps: [{ title: 'One', text: 'Hello', screen: 'data' }] });
    expect(parseLesson(text, FILE)).toEqual({ title: 'Short', steps: [{ title: 'One', text: 'Hello', screen: 'data', state: {}, controls: {}, questions: [] }] });
  });

  it('gives the run configuration a step stands for: a preset with its changes, or the full one', () => {
    expect(resolveLessonConfig({ preset: 'blog', changes: { activation: 'sigmoid' } })).toEqual({ ...PRESETS.blog, activation: 'sigmoid' });
    expect(resolveLessonConfig({ full: PRESETS.fast })).toEqual(PRESETS.fast);
  });

  it('names every control by a screen that exists', () => {
    for (const id of CONTROL_IDS) expect(LESSON_SCREENS).toContain(screenOfControl(id));
  });

  const cases: [string, (file: Record<string, any>) => void, RegExp][] = [
    ['a newer format version', (f) => (f.formatVersion = 2), /saved by a newer MLP Lab \(lesson format 2; this version reads format 1\)\. Update MLP Lab/],
    ['a newer version with an unknown layout', (f) => ((f.formatVersion = 7), (f.steps = 'elsewhere')), /lesson format 7/],
    ['another format', (f) => (f.format = 'mlp-lab-model'), /not an MLP Lab lesson \(its "format" is "mlp-lab-model"/],
    ['no format', (f) => delete f.format, /not an MLP Lab lesson/],
    ['a fractional version', (f) => (f.formatVersion = 1.5), /formatVersion, 1\.5, is not a positive whole number/],
    ['a version as text', (f) => (f.formatVersion = '1'), /formatVersion, "1", is not a positive whole number/],
    ['an unknown top-level field', (f) => (f.author = 'me'), /the lesson has a field this version does not know: "author"/],
    ['a prototype key', (f) => (f.steps[0].state = JSON.parse('{"__proto__": {"polluted": 1}}')), /step 1's state has a field this version does not know: "__proto__"/],
    ['no title', (f) => delete f.title, /the lesson's title must be text/],
    ['an empty title', (f) => (f.title = '  '), /the lesson's title is empty/],
    ['a title with a line break', (f) => (f.title = 'a\nb'), /line breaks/],
    ['a title with a direction override', (f) => (f.title = 'abc\u202Edef'), /hidden text-direction marks/],
    ['a too long title', (f) => (f.title = 'x'.repeat(121)), /has 121 characters; at most 120/],
    ['a far too long text', (f) => (f.steps[0].text = 'x'.repeat(100_000)), /step 1's text is far longer than the 4000 characters/],
    ['no steps', (f) => (f.steps = []), /the lesson has no steps/],
    ['steps not a list', (f) => (f.steps = {}), /the lesson's steps must be a list/],
    ['too many steps', (f) => (f.steps = Array.from({ length: 61 }, () => f.steps[2])), /has 61 entries; at most 60/],
    ['an unknown screen', (f) => (f.steps[1].screen = 'settings'), /step 2's screen must be one of train, weights, data, evaluate, models, experiments, perceptron, backprop; got "settings"/],
    ['an unknown step field', (f) => (f.steps[0].hint = 'x'), /step 1 has a field this version does not know: "hint"/],
    ['an unknown control', (f) => (f.steps[0].controls['train.colour'] = 'hidden'), /step 1's controls: "train\.colour" is not a control of MLP Lab/],
    ['an unknown control state', (f) => (f.steps[0].controls['train.seed'] = 'greyed'), /step 1's controls: train\.seed must be one of shown, locked, hidden; got "greyed"/],
    ['controls as a list', (f) => (f.steps[0].controls = []), /step 1's controls must be an object/],
    ['too many questions', (f) => (f.steps[0].questions = Array.from({ length: 13 }, () => ({ question: 'q' }))), /step 1's questions has 13 entries; at most 12/],
    ['a question without text', (f) => (f.steps[0].questions[0] = { answer: 'a' }), /step 1, question 1 must be text/],
    ['a too long answer', (f) => (f.steps[0].questions[0].answer = 'y'.repeat(2001)), /step 1, question 1's answer has 2001 characters; at most 2000/],
    ['an unknown preset', (f) => (f.steps[0].state.config = { preset: 'turbo' }), /step 1's state: config: preset must be one of default, fast, notebook, blog; got "turbo"/],
    ['an invalid change', (f) => (f.steps[0].state.config.changes.learningRate = -1), /step 1's state: config cannot be trained: Learning rate must be/],
    ['a change of an unknown setting', (f) => (f.steps[0].state.config.changes.dropout = 0.5), /config: changes has a field this version does not know: "dropout"/],
    ['a preset and a full configuration', (f) => (f.steps[1].state.config.preset = 'blog'), /either a preset \(with changes\) or a full configuration, not both/],
    ['a full configuration with a bad layer', (f) => (f.steps[1].state.config.full.layers = [784, 0, 10]), /config cannot be trained: Layer 2 width must be a whole number/],
    ['a config with neither', (f) => (f.steps[0].state.config = {}), /config needs a preset/],
    ['an absolute folder', (f) => (f.steps[1].state.dataset.folder = '/etc'), /folder "\/etc" is not relative/],
    ['a Windows drive folder', (f) => (f.steps[1].state.dataset.folder = 'C:/data'), /is not relative/],
    ['a folder that climbs out', (f) => (f.steps[1].state.dataset.folder = 'data/../../secret'), /leaves the lesson's folder/],
    ['a folder with backslashes', (f) => (f.steps[1].state.dataset.folder = 'data\\mnist'), /separate folder names with \//],
    ['another built-in dataset', (f) => (f.steps[0].state.dataset.builtIn = 'cifar'), /dataset: builtIn must be one of mnist/],
    ['a dataset that is both', (f) => (f.steps[0].state.dataset.folder = 'x'), /either the built-in MNIST or a folder, not both/],
    ['damaged base64', (f) => (f.steps[1].state.model.base64 = f.steps[1].state.model.base64.slice(0, -3) + '!=='), /model: base64 is damaged: it has a character that is not base64/],
    ['base64 of the wrong length', (f) => (f.steps[1].state.model.base64 += 'A'), /base64 is damaged: its length/],
    ['a model that is not a model', (f) => (f.steps[1].state.model.base64 = encodeBase64(new TextEncoder().encode('hello, world'))), /step 2's state: model is not an MLP Lab model file/],
    ['a truncated model', (f) => (f.steps[1].state.model.base64 = encodeBase64(tinyModelBytes().subarray(0, 60))), /step 2's state: model is truncated/],
    ['a model with a flipped weight', (f) => {
      const bytes = tinyModelBytes();
      bytes[bytes.length - 10] ^= 1;
      f.steps[1].state.model.base64 = encodeBase64(bytes);
    }, /step 2's state: model .*checksum/],
    ['a model over the size limit', (f) => (f.steps[1].state.model.base64 = 'A'.repeat(Math.ceil(LESSON_LIMITS.modelBytes / 3) * 4 + 4)), /larger than the 8 MiB a lesson's model may be/],
    ['a model without a name', (f) => delete f.steps[1].state.model.name, /model: name must be text/],
    ['a study varying nothing', (f) => (f.steps[2].state.study.vary = []), /vary must be "blog" or a list of settings to vary/],
    ['a study varying an unknown setting', (f) => (f.steps[2].state.study.vary = [{ key: 'colour', values: [1] }]), /study: Cannot vary "colour"/],
    ['a study with a bad value', (f) => (f.steps[2].state.study.vary[0].values = [16, -4]), /study: batchSize=-4: Batch size must be/],
    ['a study of too many runs', (f) => (f.steps[2].state.study.vary = [
      { key: 'batchSize', values: Array.from({ length: 20 }, (_, i) => i + 1) },
      { key: 'learningRate', values: Array.from({ length: 20 }, (_, i) => (i + 1) / 100) },
    ]), /would train 400 runs; a study may have at most 300/],
    ['a study target of 0 %', (f) => (f.steps[2].state.study.targetPercent = 0), /targetPercent must be a number above 0 and at most 100; got 0/],
    ['a study of 0 epochs', (f) => (f.steps[2].state.study.epochs = 0), /study: epochs must be a whole number from 1 to 1000; got 0/],
    ['a perceptron on unknown data', (f) => (f.steps[4].state.perceptron.data = 'spirals'), /perceptron: data must be one of clusters, xor, circles/],
    ['a perceptron without a start', (f) => delete f.steps[4].state.perceptron.randomStart, /randomStart must be true or false/],
    ['a negative image index', (f) => (f.steps[4].state.backpropImage = -1), /backpropImage must be a whole number from 0 to 10000000; got -1/],
    ['a fractional image index', (f) => (f.steps[4].state.backpropImage = 2.5), /backpropImage must be a whole number/],
    ['an infinite-looking number', (f) => (f.steps[4].state.perceptron.learningRate = 1e308), /learningRate must be a number above 0 and at most 10; got 1e\+308/],
  ];

  it.each(cases)('refuses %s with one line naming the file and the place', (_, edit, expected) => {
    const message = refusal(edit);
    expect(message).toMatch(expected);
    expect(message.startsWith(`${FILE}: `)).toBe(true);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(1200);
  });

  it('refuses text that is not JSON, not an object, or larger than a lesson may be', () => {
    const message = (text: string): string => {
      try {
        parseLesson(text, FILE);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message('{"format": "mlp-lab-lesson", ')).toMatch(/^class\.mlplesson: it is not a lesson file \(not valid JSON/);
    expect(message('[1, 2]')).toBe('class.mlplesson: it is not a lesson file (not a JSON object).');
    expect(message(' '.repeat(LESSON_LIMITS.fileBytes + 1))).toMatch(/larger than the 40 MiB a lesson file may be/);
  });

  it('will not write a lesson it could not open again', () => {
    const lesson = fullLesson();
    lesson.steps[0].title = '';
    expect(() => serializeLesson(lesson, 'new.mlplesson')).toThrow("new.mlplesson: step 1's title is empty.");
  });
});

describe('base64', () => {
  it('round-trips every length and byte value', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });

  it('refuses padding in the middle, other alphabets and whitespace', () => {
    expect(decodeBase64('AA==AAAA')).toMatch(/not base64 at position 3/);
    expect(decodeBase64('ab-_')).toMatch(/not base64 at position 3/);
    expect(decodeBase64('AAA A')).toMatch(/not a multiple of 4/);
    expect(decodeBase64('AAé=')).toMatch(/not base64/);
  });

  it('keeps folders inside the lesson folder', () => {
    expect(relativeFolderProblem('data/fashion')).toBeNull();
    expect(relativeFolderProblem('./mnist')).toBeNull();
    expect(relativeFolderProblem('..')).toMatch(/leaves/);
  });
});
