/**
 * Lessons end to end in real Chromium, bridged to the real main-side handlers and engine: each
 * built-in lesson walked step by step (each step's screen, state and control states asserted,
 * answers revealed), leaving restores the app; a lesson file opened through the dialog (its
 * dataset folder beside it, its embedded model loaded and the earlier model put back), handed over
 * by the operating system (a command-line path), dropped on the window (from disk: its folder
 * dataset too; built in the page: read there), and saved again.
 * Screenshots at 1024×768 and 1920×1080 go to test-output/.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../../src/engine/files/model-file';
import { PRESETS } from '../../src/engine/training/run-config';
import { createDatasetsService } from '../../src/main/datasets';
import { createLabHandlers, type LabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createLessonInbox } from '../../src/main/lesson-launch';
import { createModelStore } from '../../src/main/model-store';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { forkNodeWorker } from '../../src/node/fork-node';
import { readLessonFile, writeLessonFile } from '../../src/node/lesson-file-io';
import { encodeBase64 } from '../../src/shared/lesson/base64';
import type { Lesson, LessonStep } from '../../src/shared/lesson/lesson';
import { screenOfControl } from '../../src/shared/lesson/lesson-controls';
import { parseLesson, serializeLesson } from '../../src/shared/lesson/lesson-file';
import { resolveLessonConfig } from '../../src/shared/lesson/lesson-state-read';
import { BUILT_IN_LESSON_DOCUMENTS } from '../../src/renderer/src/features/lessons/built-in/documents';
import { tinyModelBytes } from '../helpers/lesson-fixture';
import { openAppPage, type AppPage } from './app-page';
import { WORKER_PATH, SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { installLabBridge, type LabBridge } from './lab-bridge';

requireBuiltAppAndBrowser();

/** expect.poll with room for a shared machine: entering a step waits on main (datasets, models, images). */
const poll = <T>(read: () => T | Promise<T>, options: { timeout?: number; message?: string } = {}) => expect.poll(read, { timeout: 20_000, ...options });

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-lessons-e2e-'));
const BUILT_IN: Lesson[] = BUILT_IN_LESSON_DOCUMENTS.map((doc) => parseLesson(JSON.stringify(doc), 'built-in'));

describe('Lessons in Chromium', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  let handlers: LabHandlers;
  const inbox = createLessonInbox();
  let openPath: string | null = null;
  let savePath: string | null = null;

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge.deliver(event) });
    const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
    handlers = createLabHandlers({
      appPageUrl: app.url,
      datasets,
      engine,
      insight: {
        engine,
        images: (id) => datasets.images(id),
        models: createModelStore({ dir: join(dir, 'models') }),
        dialogs: { chooseExportPath: async () => null, chooseOnnxExportPath: async () => null, chooseImportPath: async () => null },
      },
      lessons: {
        dialogs: { chooseOpenPath: async () => openPath, chooseSavePath: async () => savePath },
        inbox,
        read: readLessonFile,
        write: writeLessonFile,
        engine,
        protectedDirs: [],
      },
    });
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
    await page.goto(app.url);
    await page.locator('#dataset option[value="mnist"]').waitFor({ state: 'attached', timeout: 60_000 });
  });

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const panel = () => page.getByTestId('lesson-panel');
  const screenId = () => page.locator('[data-screen]').getAttribute('data-screen');

  async function shoot(name: string): Promise<void> {
    for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  async function openBuiltIn(title: string): Promise<void> {
    await page.getByRole('button', { name: 'Lessons ▾' }).click();
    await page.getByRole('button', { name: title, exact: true }).click();
    await poll(() => panel().locator('#lesson-title').textContent()).toBe(title);
  }

  /** The state a step sets, read back from the screen it opens. */
  async function expectStepState(step: LessonStep, lesson: Lesson, index: number): Promise<void> {
    const where = `${lesson.title}, step ${index + 1}`;
    const { state } = step;
    // The latest config set by this or an earlier step is what the Train form holds.
    const latest = lesson.steps.slice(0, index + 1).reverse().find((s) => s.state.config)?.state.config;
    if (step.screen === 'train' && latest) {
      const config = resolveLessonConfig(latest);
      expect(await page.locator('#learning-rate').inputValue(), where).toBe(String(config.learningRate));
      expect(await page.locator('#batch-size').inputValue(), where).toBe(String(config.batchSize));
      expect(await page.locator('#epochs').inputValue(), where).toBe(String(config.epochs));
      expect(await page.locator('#activation').inputValue(), where).toBe(config.activation);
      expect(await page.locator('#init').inputValue(), where).toBe(config.init);
      expect(await page.locator('.architecture .summary').textContent(), where).toContain(config.layers.join(' → '));
      expect(await page.locator('#dataset').inputValue(), where).toBe('mnist');
    }
    if (state.study) {
      const runs = state.study.vary === 'blog' ? 9 : state.study.vary.reduce((n, v) => n * v.values.length, 1);
      await poll(() => page.getByTestId('study-plan').textContent(), { message: where }).toMatch(new RegExp(`^${runs} runs`));
      expect(await page.getByTestId('study-base').textContent(), where).toContain(resolveLessonConfig(state.study.base).layers.join('-'));
      expect(await page.getByLabel('Study epochs').inputValue(), where).toBe(String(state.study.epochs));
      expect(await page.getByLabel('Study name').inputValue(), where).toBe(state.study.name ?? '');
    }
    if (state.perceptron) {
      const label = { clusters: 'Clusters', xor: 'XOR', circles: 'Circles' }[state.perceptron.data];
      expect(await page.getByRole('group', { name: 'Data' }).getByRole('button', { name: label }).getAttribute('aria-pressed'), where).toBe('true');
      expect(await page.getByLabel('Perceptron learning rate').inputValue(), where).toBe(String(state.perceptron.learningRate));
      expect(await page.getByLabel('Perceptron epochs').inputValue(), where).toBe(String(state.perceptron.epochs));
      expect(await page.getByTestId('perceptron-step').isEnabled(), where).toBe(true);
    }
    if (state.backpropImage !== undefined) {
      const thumb = page.getByRole('button', { name: new RegExp(`^Test image ${state.backpropImage}, a \\d$`) });
      await poll(() => thumb.getAttribute('aria-pressed'), { timeout: 30_000, message: where }).toBe('true');
    }
    for (const [id, wanted] of Object.entries(step.controls)) {
      if (screenOfControl(id as keyof typeof step.controls) !== step.screen) continue;
      const control = page.locator(`[data-control="${id}"]`);
      if (wanted === 'hidden') {
        expect(await control.count(), `${where}: ${id}`).toBe(0);
      } else {
        expect(await control.count(), `${where}: ${id}`).toBeGreaterThan(0);
        for (const state of await control.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-control-state')))) expect(state, `${where}: ${id}`).toBe(wanted);
        if (wanted === 'locked') expect(await control.first().textContent(), `${where}: ${id}`).toContain('Set by the lesson');
      }
    }
  }

  it.each(BUILT_IN.map((lesson, i) => [lesson.title, i] as const))('walks "%s" step by step, then leaving restores the app', async (title, n) => {
    const lesson = BUILT_IN[n];
    await page.getByRole('tab', { name: 'Train' }).click();
    const before = await page.locator('#learning-rate').inputValue();
    const beforeLayers = await page.locator('.architecture .summary').textContent();
    await openBuiltIn(title);
    for (const [index, step] of lesson.steps.entries()) {
      await poll(() => page.getByTestId('lesson-progress').textContent()).toBe(`Step ${index + 1} of ${lesson.steps.length}`);
      expect(await page.getByTestId('lesson-step-title').textContent()).toBe(step.title);
      await poll(screenId).toBe(step.screen);
      await expectStepState(step, lesson, index);
      const reveals = panel().getByRole('button', { name: 'Reveal answer' });
      const withAnswers = step.questions.filter((q) => q.answer !== undefined).length;
      expect(await reveals.count()).toBe(withAnswers);
      if (withAnswers > 0) {
        await reveals.first().click();
        expect(await panel().getByTestId('lesson-answer').textContent()).toContain(step.questions.find((q) => q.answer)?.answer?.slice(0, 30));
      }
      if (index === 0 || index === lesson.steps.length - 1) await shoot(`lesson-${n + 1}-step-${index + 1}`);
      if (index + 1 < lesson.steps.length) await panel().getByRole('button', { name: 'Next step →' }).click();
    }
    expect(await panel().getByRole('button', { name: 'Next step →' }).isDisabled()).toBe(true);
    // Back goes to the step before, with its screen.
    if (lesson.steps.length > 1) {
      await panel().getByRole('button', { name: '← Previous step' }).click();
      await poll(() => page.getByTestId('lesson-progress').textContent()).toBe(`Step ${lesson.steps.length - 1} of ${lesson.steps.length}`);
      await poll(screenId).toBe(lesson.steps[lesson.steps.length - 2].screen);
    }
    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    await poll(() => panel().count()).toBe(0);
    await poll(screenId).toBe('train');
    expect(await page.locator('#learning-rate').inputValue()).toBe(before);
    expect(await page.locator('.architecture .summary').textContent()).toBe(beforeLayers);
    expect(await page.locator('[data-control-state="locked"], [data-control-state="hidden"]').count()).toBe(0);
    expect(await page.locator('[data-control]').count()).toBeGreaterThan(10);
  });

  /** A lesson file beside a dataset folder, with an embedded model and text that tries to inject HTML. */
  function writeLessonWithFolder(): string {
    const lessonDir = join(dir, 'class');
    mkdirSync(join(lessonDir, 'data'), { recursive: true });
    cpSync(defaultMnistDir(), join(lessonDir, 'data', 'digits'), { recursive: true });
    const lesson: Lesson = {
      title: 'A lesson from a file',
      steps: [
        {
          title: 'Its own data and model',
          text: 'Plain **bold** and `code`.\n\n<img src=x onerror="window.injected=1"> stays text.',
          screen: 'train',
          state: { dataset: { folder: 'data/digits' }, config: { full: { ...PRESETS.fast, epochs: 1 } }, model: { name: 'Lesson model', base64: encodeBase64(tinyModelBytes()) } },
          controls: { 'train.learningRate': 'locked', 'train.seed': 'hidden' },
          questions: [{ question: 'Is the image above a picture?', answer: 'No: lesson text is **text**.' }],
        },
      ],
    };
    const path = join(lessonDir, 'class.mlplesson');
    writeFileSync(path, serializeLesson(lesson));
    return path;
  }

  it('opens a lesson file through the dialog: its folder dataset, its model (put back afterwards), text never HTML', async () => {
    // A model the engine holds before the lesson: the lesson's replaces it, leaving puts it back.
    const { header, weights } = decodeModel(tinyModelBytes(), 'before');
    await engine.request({ kind: 'load-model', model: { source: 'library', name: 'Before the lesson', config: header.config, weights, history: [], dataset: header.dataset } });
    openPath = writeLessonWithFolder();
    await page.getByRole('button', { name: 'Lessons ▾' }).click();
    await page.getByRole('button', { name: 'Open lesson file…' }).click();
    await poll(() => panel().locator('#lesson-title').textContent()).toBe('A lesson from a file');
    // A note would say why the folder did not open; the folder's 70 000 images take a while to check.
    const datasetOrNote = async () => (await panel().getByTestId('lesson-note').allTextContents()).join(' | ') || (await page.locator('#dataset option:checked').textContent());
    await poll(datasetOrNote, { timeout: 90_000 }).toBe('digits');
    expect(await page.locator('#learning-rate').inputValue()).toBe('0.001');
    expect(await page.locator('[data-control="train.learningRate"]').getAttribute('data-control-state')).toBe('locked');
    expect(await page.locator('#learning-rate').isDisabled()).toBe(true);
    expect(await page.locator('[data-control="train.seed"]').count()).toBe(0);
    expect(await page.locator('#seed').count()).toBe(0);
    // The model came from the lesson file.
    const current = await handlers.getCurrentModel({ fromAppMainFrame: true, url: app.url });
    expect(current.ok && current.name).toBe('Lesson model');
    // Markdown as elements with text: bold and code, and the <img> as the text it is.
    expect(await panel().locator('strong').first().textContent()).toBe('bold');
    expect(await panel().locator('code').first().textContent()).toBe('code');
    expect(await panel().locator('img').count()).toBe(0);
    expect(await panel().textContent()).toContain('<img src=x onerror="window.injected=1"> stays text.');
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
    expect(await panel().getByTestId('lesson-note').count()).toBe(0);
    await shoot('lesson-file-opened');

    savePath = join(dir, 'copy.mlplesson');
    await panel().getByRole('button', { name: 'Save a copy…' }).click();
    await poll(() => page.getByTestId('lesson-saved').textContent()).toContain('copy.mlplesson');
    expect(parseLesson(readFileSync(savePath, 'utf8'), 'copy.mlplesson').title).toBe('A lesson from a file');

    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    await poll(() => panel().count()).toBe(0);
    expect(await page.locator('#dataset').inputValue()).toBe('mnist');
    expect(await page.locator('#learning-rate').isDisabled()).toBe(false);
    await poll(async () => {
      const after = await handlers.getCurrentModel({ fromAppMainFrame: true, url: app.url });
      return after.ok && after.name;
    }).toBe('Before the lesson');
  });

  it('opens a lesson the operating system hands over (a path on the command line), and refuses a bad one in one line', async () => {
    const path = join(dir, 'handed.mlplesson');
    writeFileSync(path, serializeLesson({ ...BUILT_IN[0], title: 'Handed over' }));
    inbox.offer(path);
    await poll(() => panel().locator('#lesson-title').textContent()).toBe('Handed over');
    await poll(screenId).toBe('perceptron');
    const newer = join(dir, 'newer.mlplesson');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(serializeLesson(BUILT_IN[0])), formatVersion: 3 }));
    inbox.offer(newer);
    await poll(() => page.getByTestId('lesson-message').locator('p').textContent()).toBe(
      'newer.mlplesson: it was saved by a newer MLP Lab (lesson format 3; this version reads format 1). Update MLP Lab to open it.',
    );
    // The lesson being followed stays.
    expect(await panel().locator('#lesson-title').textContent()).toBe('Handed over');
    await page.getByTestId('lesson-message').getByRole('button', { name: 'Dismiss' }).click();
    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    await poll(() => panel().count()).toBe(0);
  });

  it('opens a lesson file dropped on the window; a file that is not a lesson is refused', async () => {
    const drop = (name: string, text: string) =>
      page.evaluate(
        ([fileName, content]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([content], fileName, { type: 'application/json' }));
          const target = document.querySelector('main') ?? document.body;
          target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
          target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        },
        [name, text] as const,
      );
    await drop('dropped.mlplesson', serializeLesson({ ...BUILT_IN[5], title: 'Dropped lesson' }));
    await poll(() => panel().locator('#lesson-title').textContent()).toBe('Dropped lesson');
    await poll(screenId).toBe('backprop');
    await shoot('lesson-dropped');
    await drop('notes.txt', 'hello');
    await poll(() => page.getByTestId('lesson-message').locator('p').textContent()).toBe('notes.txt is not a lesson; drop a .mlplesson file to open it.');
    await page.getByTestId('lesson-message').getByRole('button', { name: 'Dismiss' }).click();
    await drop('broken.mlplesson', '{"format": "mlp-lab-lesson", "formatVersion": 1, "title": "x", "steps": [{"title": "a", "text": "b", "screen": "kitchen"}]}');
    await poll(() => page.getByTestId('lesson-message').locator('p').textContent()).toMatch(/^broken\.mlplesson: step 1's screen must be one of train, /);
    await page.getByTestId('lesson-message').getByRole('button', { name: 'Dismiss' }).click();
    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    await poll(() => panel().count()).toBe(0);
  });

  it('a lesson dropped from disk is read by main and uses its dataset folder beside the file', async () => {
    const path = writeLessonWithFolder();
    // A File whose path the webUtils stand-in knows, as Electron knows a file dragged from disk.
    await page.evaluate(
      ([content, onDisk]) => {
        const file = new File([content], 'class.mlplesson', { type: 'application/json' });
        (window as unknown as { __labFileOnDisk(file: File, path: string): void }).__labFileOnDisk(file, onDisk);
        const transfer = new DataTransfer();
        transfer.items.add(file);
        const target = document.querySelector('main') ?? document.body;
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [readFileSync(path, 'utf8'), path] as const,
    );
    await poll(() => panel().locator('#lesson-title').textContent()).toBe('A lesson from a file');
    const datasetOrNote = async () => (await panel().getByTestId('lesson-note').allTextContents()).join(' | ') || (await page.locator('#dataset option:checked').textContent());
    await poll(datasetOrNote, { timeout: 90_000 }).toBe('digits');
    expect(await panel().getByTestId('lesson-note').count()).toBe(0);
    await shoot('lesson-dropped-from-disk');
    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    await poll(() => panel().count()).toBe(0);
    expect(await page.locator('#dataset').inputValue()).toBe('mnist');
  });

  it('the menu lists every built-in lesson; the dark theme stays readable', async () => {
    await page.getByRole('button', { name: 'Lessons ▾' }).click();
    for (const lesson of BUILT_IN) expect(await page.getByRole('button', { name: lesson.title, exact: true }).isVisible()).toBe(true);
    await shoot('lesson-menu');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'dark' });
    await openBuiltIn(BUILT_IN[1].title);
    await shoot('lesson-dark');
    // Folded away, the panel leaves the screen its room and still steps on.
    await panel().getByRole('button', { name: 'Fold the lesson panel away' }).click();
    expect(await panel().boundingBox().then((box) => box?.width ?? 0)).toBeLessThan(200);
    await panel().getByRole('button', { name: 'Next step →' }).click();
    await poll(() => page.getByTestId('lesson-progress').textContent()).toBe(`Step 2 of ${BUILT_IN[1].steps.length}`);
    await shoot('lesson-folded');
    await panel().getByRole('button', { name: 'Show the lesson panel' }).click();
    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('logged no console error, page error or CSP violation', () => {
    expect(app.problems).toEqual([]);
  });
});
