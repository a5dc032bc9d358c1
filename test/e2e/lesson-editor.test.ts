/**
 * Making a lesson in the app, end to end in real Chromium bridged to the real main-side handlers
 * and engine: steps captured from the app's screens with "Save as lesson step", their texts,
 * questions and control states edited, reordered by keyboard and deleted; a lesson the reader
 * would refuse is not saved and the editor says why; saved through the (stubbed) dialog, reopened,
 * and played in the lesson player; unsaved changes are not lost without asking; a built-in lesson
 * edited as a copy. Screenshots at 1024×768 and 1920×1080 in both themes go to test-output/.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../src/main/datasets';
import { createLabHandlers } from '../../src/main/handlers/ipc-handlers';
import { createLessonInbox } from '../../src/main/lesson-launch';
import { createModelStore } from '../../src/main/model-store';
import { defaultMnistDir, loadDatasetFolder } from '../../src/node/dataset-folder';
import { createEngineSupervisor, type EngineSupervisor } from '../../src/node/engine-supervisor';
import { forkNodeWorker } from '../../src/node/fork-node';
import { readLessonFile, writeLessonFile } from '../../src/node/lesson-file-io';
import { parseLesson } from '../../src/shared/lesson/lesson-file';
import { resolveLessonConfig } from '../../src/shared/lesson/lesson-state-read';
import { BUILT_IN_LESSON_DOCUMENTS } from '../../src/renderer/src/features/lessons/built-in/documents';
import { openAppPage, type AppPage } from './app-page';
import { WORKER_PATH, SCREENSHOTS, requireBuiltAppAndBrowser } from './e2e-env';
import { installLabBridge, type LabBridge } from './lab-bridge';
import { describeCutOff, findCutOff } from './layout-audit';
import { CANVAS_TEXT_RECORDER, describeSmallText, findSmallText } from './text-audit';

requireBuiltAppAndBrowser();

const poll = <T>(read: () => T | Promise<T>, options: { timeout?: number; message?: string } = {}) => expect.poll(read, { timeout: 20_000, ...options });

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-lesson-editor-e2e-'));
const PERCEPTRON_LESSON = parseLesson(JSON.stringify(BUILT_IN_LESSON_DOCUMENTS[0]), 'built-in');

describe('Lesson editor in Chromium', () => {
  let app: AppPage;
  let page: Page;
  let bridge: LabBridge;
  let engine: EngineSupervisor;
  let openPath: string | null = null;
  let savePath: string | null = null;
  let saveDialogs = 0;

  beforeAll(async () => {
    app = await openAppPage();
    page = app.page;
    engine = createEngineSupervisor({ fork: () => forkNodeWorker(WORKER_PATH), emit: (event) => bridge.deliver(event) });
    const datasets = createDatasetsService({ builtInDir: defaultMnistDir(), load: loadDatasetFolder, chooseFolder: async () => null });
    const handlers = createLabHandlers({
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
        dialogs: {
          chooseOpenPath: async () => openPath,
          chooseSavePath: async () => {
            saveDialogs++;
            return savePath;
          },
        },
        inbox: createLessonInbox(),
        read: readLessonFile,
        write: writeLessonFile,
        engine,
        protectedDirs: [],
      },
    });
    bridge = await installLabBridge(page, handlers, (message) => app.problems.push(message));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.addInitScript({ content: CANVAS_TEXT_RECORDER });
    await page.goto(app.url);
    await page.locator('#dataset option[value="mnist"]').waitFor({ state: 'attached', timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    engine?.dispose();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const editor = () => page.getByTestId('lesson-editor');
  const panel = () => page.getByTestId('lesson-panel');
  const stepRows = () => editor().getByTestId('lesson-editor-steps').locator('li');
  const stepTitles = () => stepRows().locator('.step-title').allTextContents();
  const screenId = () => page.locator('[data-screen]').getAttribute('data-screen');
  const showTab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  /** Whether the page holds up closing or reloading the window (main then asks; see unsaved-unload.ts). */
  const holdsUpUnload = () =>
    page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });

  async function menu(item: string): Promise<void> {
    await page.getByRole('button', { name: 'Lessons ▾' }).click();
    await page.getByRole('button', { name: item, exact: true }).click();
  }

  /** Both sizes; the editor's text never under 14 px and nothing in it cut off. */
  async function shoot(name: string): Promise<void> {
    for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
      const { offenders } = await findSmallText(page, 14);
      expect(describeSmallText(offenders), `${name} at ${width}×${height}`).toBe('');
      expect(describeCutOff(await findCutOff(page)), `${name} at ${width}×${height}`).toBe('');
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('builds a lesson from the app: capture, edit texts and controls, reorder by keyboard, delete', async () => {
    await page.locator('#learning-rate').fill('0.05');
    await page.locator('#learning-rate').blur();
    await menu('Save as lesson step');
    await poll(() => stepTitles()).toEqual(['Step 1: Train']);
    expect(await editor().getByTestId('lesson-editor-file').textContent()).toContain('Not saved yet');
    expect(await editor().getByTestId('step-part-config').isChecked()).toBe(true);
    expect(await editor().getByTestId('step-sets').textContent()).toContain('learning rate 0.05');

    await showTab('Perceptron');
    await page.getByRole('group', { name: 'Data' }).getByRole('button', { name: 'XOR' }).click();
    await editor().getByRole('button', { name: 'Save as lesson step' }).click();
    await showTab('Data');
    await editor().getByRole('button', { name: 'Save as lesson step' }).click();
    await poll(() => stepTitles()).toEqual(['Step 1: Train', 'Step 2: Perceptron', 'Step 3: Data']);
    expect(await editor().getByTestId('step-sets').textContent()).toContain('MNIST (built in)');

    // Step 1: its texts, a question with an answer, one control locked and one hidden.
    await stepRows().nth(0).locator('.pick').click();
    await editor().getByTestId('step-title').fill('How big a step');
    await editor().getByTestId('step-text').fill('The learning rate **η** scales each step.\n\n- try `0.05`\n- then train');
    await poll(() => editor().getByTestId('lesson-step-editor').locator('.preview strong').textContent()).toBe('η');
    await editor().getByRole('button', { name: 'Add a question' }).click();
    await editor().getByTestId('question-text').fill('What happens with η = 1?');
    await editor().getByTestId('question-answer').fill('The loss jumps about.');
    await editor().getByTestId('control-state-train.learningRate').selectOption('locked');
    await editor().getByTestId('control-state-train.seed').selectOption('hidden');
    expect(await editor().getByTestId('step-controls').locator('legend').textContent()).toBe('Controls (2 set)');

    await stepRows().nth(1).locator('.pick').click();
    await editor().getByTestId('step-title').fill('XOR');
    await editor().getByTestId('control-state-perceptron.data').selectOption('locked');
    await shoot('editor-three-steps');

    // Reorder with the keyboard: step 2 (XOR) up; the focus stays on the moved step's arrows.
    await editor().getByRole('button', { name: 'Move step 2 up' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => stepTitles()).toEqual(['XOR', 'How big a step', 'Step 3: Data']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move step 1 down');
    await page.keyboard.press('Space');
    await poll(() => stepTitles()).toEqual(['How big a step', 'XOR', 'Step 3: Data']);
    await editor().getByRole('button', { name: 'Move step 1 down' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => stepTitles()).toEqual(['XOR', 'How big a step', 'Step 3: Data']);

    await editor().getByRole('button', { name: 'Delete step 3' }).click();
    await poll(() => stepTitles()).toEqual(['XOR', 'How big a step']);
  });

  it('never saves a lesson the reader refuses, and says why in plain words', async () => {
    savePath = join(dir, 'class.mlplesson');
    await editor().getByTestId('lesson-editor-title').fill('');
    await poll(() => editor().getByTestId('lesson-editor-problem').textContent()).toBe("Not ready to save: The lesson's title is empty.");
    const before = saveDialogs;
    await editor().getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => editor().getByTestId('lesson-editor-message').textContent()).toContain("The lesson's title is empty.");
    expect(saveDialogs).toBe(before);
    expect(existsSync(savePath)).toBe(false);
    await editor().getByTestId('lesson-editor-message').getByRole('button', { name: 'Dismiss' }).click();
    await stepRows().nth(0).locator('.pick').click();
    await editor().getByTestId('step-title').fill('   ');
    await poll(() => editor().getByTestId('lesson-editor-problem').textContent()).toBe("Not ready to save: The lesson's title is empty.");
    await editor().getByTestId('lesson-editor-title').fill('Made in the editor');
    await poll(() => editor().getByTestId('lesson-editor-problem').textContent()).toBe("Not ready to save: Step 1's title is empty.");
    await editor().getByTestId('step-title').fill('XOR');
    await poll(() => editor().getByTestId('lesson-editor-problem').count()).toBe(0);
  });

  it('saves through the dialog, then saves again to the same file without asking', async () => {
    const before = saveDialogs;
    await editor().getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => editor().getByTestId('lesson-editor-file').textContent()).toBe('class.mlplesson');
    expect(saveDialogs).toBe(before + 1);
    const saved = parseLesson(readFileSync(join(dir, 'class.mlplesson'), 'utf8'), 'class.mlplesson');
    expect(saved.title).toBe('Made in the editor');
    expect(saved.steps.map((s) => [s.title, s.screen])).toEqual([
      ['XOR', 'perceptron'],
      ['How big a step', 'train'],
    ]);
    expect(saved.steps[0].state).toEqual({ perceptron: { data: 'xor', learningRate: 0.001, epochs: 3, randomStart: true } });
    expect(saved.steps[0].controls).toEqual({ 'perceptron.data': 'locked' });
    const train = saved.steps[1];
    expect(train.text).toBe('The learning rate **η** scales each step.\n\n- try `0.05`\n- then train');
    expect(resolveLessonConfig(train.state.config!).learningRate).toBe(0.05);
    expect(train.state.dataset).toEqual({ builtIn: 'mnist' });
    expect(train.controls).toEqual({ 'train.learningRate': 'locked', 'train.seed': 'hidden' });
    expect(train.questions).toEqual([{ question: 'What happens with η = 1?', answer: 'The loss jumps about.' }]);

    await editor().getByTestId('lesson-editor-title').fill('Made in the editor, again');
    expect(await editor().getByTestId('lesson-editor-file').textContent()).toContain('unsaved changes');
    expect(await holdsUpUnload()).toBe(true);
    await editor().getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => editor().getByTestId('lesson-editor-file').textContent()).toBe('class.mlplesson');
    expect(await holdsUpUnload()).toBe(false);
    expect(saveDialogs).toBe(before + 1);
    expect(parseLesson(readFileSync(join(dir, 'class.mlplesson'), 'utf8'), 'class').title).toBe('Made in the editor, again');
  });

  it('asks before unsaved changes are lost', async () => {
    await editor().getByTestId('lesson-editor-title').fill('Changed, not saved');
    await editor().getByRole('button', { name: 'Close', exact: true }).click();
    const dialog = page.getByTestId('lesson-discard-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    await shoot('editor-discard-question');
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    expect(await editor().getByTestId('lesson-editor-title').inputValue()).toBe('Changed, not saved');
    await editor().getByRole('button', { name: 'Close', exact: true }).click();
    await page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);
    expect(await editor().isVisible()).toBe(true);
    await editor().getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    await poll(() => editor().count()).toBe(0);
  });

  it('reopens the saved lesson and plays it in the player, from the editor', async () => {
    openPath = join(dir, 'class.mlplesson');
    await menu('Edit a lesson file…');
    await poll(() => stepTitles()).toEqual(['XOR', 'How big a step']);
    expect(await editor().getByTestId('lesson-editor-title').inputValue()).toBe('Made in the editor, again');
    expect(await editor().getByTestId('lesson-editor-file').textContent()).toBe('class.mlplesson');

    await showTab('Evaluate');
    await editor().getByRole('button', { name: 'Play ▶' }).click();
    await poll(() => panel().getByTestId('lesson-step-title').textContent()).toBe('XOR');
    expect(await editor().count()).toBe(0);
    await poll(() => screenId()).toBe('perceptron');
    expect(await page.locator('[data-control="perceptron.data"]').first().getAttribute('data-control-state')).toBe('locked');
    await panel().getByRole('button', { name: 'Next step →' }).click();
    await poll(() => panel().getByTestId('lesson-step-title').textContent()).toBe('How big a step');
    await poll(() => screenId()).toBe('train');
    expect(await page.locator('#learning-rate').inputValue()).toBe('0.05');
    expect(await page.locator('[data-control="train.learningRate"]').getAttribute('data-control-state')).toBe('locked');
    expect(await page.locator('[data-control="train.seed"]').count()).toBe(0);
    await panel().getByRole('button', { name: 'Reveal answer' }).click();
    expect(await panel().getByTestId('lesson-answer').textContent()).toContain('The loss jumps about.');
    await panel().getByRole('button', { name: 'Leave lesson' }).click();
    // Leaving puts the app back and gives the column to the editor again.
    await poll(() => editor().isVisible()).toBe(true);
    await poll(() => screenId()).toBe('evaluate');
    expect(await page.locator('[data-control="train.seed"]').count()).toBe(0);
  });

  it('edits a copy of a built-in lesson, in the dark theme too, and imports steps', async () => {
    await editor().getByRole('button', { name: 'Close', exact: true }).click();
    await poll(() => editor().count()).toBe(0);
    await page.getByRole('button', { name: 'Lessons ▾' }).click();
    await page.getByRole('button', { name: `Edit a copy of ${PERCEPTRON_LESSON.title}` }).click();
    await poll(() => stepTitles()).toEqual(PERCEPTRON_LESSON.steps.map((s) => s.title));
    expect(await editor().getByTestId('lesson-editor-file').textContent()).toContain('Not saved yet');
    await showTab('Train');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot('editor-built-in-copy-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shoot('editor-built-in-copy-light');

    openPath = join(dir, 'class.mlplesson');
    await editor().getByRole('button', { name: 'Import…' }).click();
    await poll(() => stepTitles()).toEqual([PERCEPTRON_LESSON.steps[0].title, 'XOR', 'How big a step', ...PERCEPTRON_LESSON.steps.slice(1).map((s) => s.title)]);
    savePath = join(dir, 'copy.mlplesson');
    await editor().getByRole('button', { name: 'Export…' }).click();
    await poll(() => existsSync(savePath!)).toBe(true);
    const exported = parseLesson(readFileSync(savePath, 'utf8'), 'copy');
    expect(exported.steps.length).toBe(PERCEPTRON_LESSON.steps.length + 2);
    expect(exported.steps[0]).toEqual(PERCEPTRON_LESSON.steps[0]);
    // An export is a copy: the lesson still has no file of its own, and its changes are still unsaved.
    expect(await editor().getByTestId('lesson-editor-file').textContent()).toContain('unsaved changes');
    await editor().getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('lesson-discard-dialog').getByRole('button', { name: 'Discard changes' }).click();
    await poll(() => editor().count()).toBe(0);
  });

  it('logged no console error, page error or CSP violation', () => {
    expect(app.problems).toEqual([]);
  });
});
