// The lesson commands as main runs them, with the dialogs, the engine and the datasets stood in:
// the folder beside the opened lesson, the embedded model loaded and the earlier one put back,
// saving only a lesson that reads back, never into a library folder, and refusing bad input.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLessonHandlers, type LessonHandlerDeps } from '../../src/main/handlers/lesson-handlers';
import { createLessonInbox } from '../../src/main/lesson-launch';
import type { DatasetsService } from '../../src/main/datasets';
import type { CurrentModel } from '../../src/shared/engine-requests';
import { readLessonFile, writeLessonFile } from '../../src/node/lesson-file-io';
import { encodeBase64 } from '../../src/shared/lesson/base64';
import { serializeLesson } from '../../src/shared/lesson/lesson-file';
import { fullLesson, tinyModelBytes } from '../helpers/lesson-fixture';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-lesson-handlers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(open: string | null = null, save: string | null = null) {
  let current: CurrentModel | null = null;
  const requests: string[] = [];
  const opened: string[] = [];
  const engine: LessonHandlerDeps['engine'] = {
    request: (async (request: { kind: string; model?: CurrentModel }) => {
      requests.push(request.kind);
      if (request.kind === 'current-model') return { kind: 'current-model', model: current };
      if (request.kind === 'load-model') {
        current = request.model ?? null;
        return { kind: 'load-model' };
      }
      throw new Error('unexpected request');
    }) as LessonHandlerDeps['engine']['request'],
  };
  const datasets = {
    openFolderAt: async (path: string) => {
      opened.push(path);
      return { ok: true, dataset: { id: 'folder-1', name: 'digits', source: path, trainCount: 1, testCount: 1, rows: 28, cols: 28, classes: 10 } };
    },
  } as unknown as DatasetsService;
  const handlers = createLessonHandlers(
    { dialogs: { chooseOpenPath: async () => open, chooseSavePath: async () => save }, inbox: createLessonInbox(), read: readLessonFile, write: writeLessonFile, engine, protectedDirs: [join(dir, 'library')] },
    datasets,
  );
  return { handlers, requests, opened, current: () => current, setCurrent: (model: CurrentModel) => (current = model) };
}

const lessonPath = join(dir, 'class', 'class.mlplesson');
mkdirSync(join(dir, 'class'), { recursive: true });
writeFileSync(lessonPath, serializeLesson(fullLesson()));

describe('lesson handlers', () => {
  it('opens a lesson through the dialog, and finds its dataset folder beside the file', async () => {
    const { handlers, opened } = setup(lessonPath);
    expect(await handlers.openLessonDataset('data/fashion')).toEqual({ ok: false, message: expect.stringMatching(/open the lesson with "Open lesson file…"/) });
    const result = await handlers.openLesson();
    expect(result).toEqual({ ok: true, lesson: fullLesson(), fileName: 'class.mlplesson' });
    expect((await handlers.openLessonDataset('data/fashion')).ok).toBe(true);
    expect(opened).toEqual([join(dir, 'class', 'data', 'fashion')]);
    expect(await handlers.openLessonDataset('../elsewhere')).toEqual({ ok: false, message: expect.stringMatching(/leaves the lesson's folder/) });
    expect(await handlers.openLessonDataset(42)).toEqual({ ok: false, message: expect.stringMatching(/short relative path/) });
  });

  it('keeps the file opened last for its dataset folder when the lesson before it ends afterwards', async () => {
    // Opening a file while a lesson plays: main reads the new file, then the player ends the old lesson.
    const second = join(dir, 'second', 'second.mlplesson');
    mkdirSync(join(dir, 'second'), { recursive: true });
    writeFileSync(second, serializeLesson(fullLesson()));
    let path = lessonPath;
    const opened: string[] = [];
    const datasets = { openFolderAt: async (folder: string) => (opened.push(folder), { ok: true, dataset: { id: folder } }) } as unknown as DatasetsService;
    const engine = { request: async () => ({ model: null }) } as unknown as LessonHandlerDeps['engine'];
    const handlers = createLessonHandlers(
      { dialogs: { chooseOpenPath: async () => path, chooseSavePath: async () => null }, inbox: createLessonInbox(), read: readLessonFile, write: writeLessonFile, engine, protectedDirs: [] },
      datasets,
    );
    expect((await handlers.openLesson()).ok).toBe(true);
    path = second;
    expect((await handlers.openLesson()).ok).toBe(true);
    expect(await handlers.endLesson()).toEqual({ ok: true });
    expect((await handlers.openLessonDataset('data/fashion')).ok).toBe(true);
    expect(opened).toEqual([join(dir, 'second', 'data', 'fashion')]);
  });

  it('answers a cancelled dialog as cancelled, and a bad file with its one-line reason', async () => {
    expect(await setup(null).handlers.openLesson()).toEqual({ ok: false, canceled: true });
    const bad = join(dir, 'bad.mlplesson');
    writeFileSync(bad, '{"format": "mlp-lab-lesson", "formatVersion": 9}');
    expect(await setup(bad).handlers.openLesson()).toEqual({ ok: false, canceled: false, message: expect.stringMatching(/^bad\.mlplesson: it was saved by a newer MLP Lab \(lesson format 9/) });
  });

  it("loads a lesson's model, keeping the engine's earlier model to put back when the lesson ends", async () => {
    const { handlers, current, setCurrent } = setup();
    const before = { source: 'training', name: null, config: fullLesson().steps[1].state.config, weights: [], history: [], dataset: { name: 'MNIST' } } as unknown as CurrentModel;
    setCurrent(before);
    const model = { name: 'Tiny', base64: encodeBase64(tinyModelBytes()) };
    expect(await handlers.useLessonModel(model)).toEqual({ ok: true });
    expect(current()?.name).toBe('Tiny');
    expect(await handlers.useLessonModel({ ...model, name: 'Tiny again' })).toEqual({ ok: true });
    expect(await handlers.endLesson()).toEqual({ ok: true });
    expect(current()).toBe(before);
  });

  it('refuses a damaged or oversized model, and says so when there was no model to put back', async () => {
    const { handlers } = setup();
    expect(await handlers.useLessonModel({ name: 'x', base64: 'AAA' })).toEqual({ ok: false, message: expect.stringMatching(/damaged: its length/) });
    expect(await handlers.useLessonModel({ name: 'x', base64: 'A'.repeat(12_000_000) })).toEqual({ ok: false, message: expect.stringMatching(/at most 8 MiB/) });
    expect(await handlers.useLessonModel(null)).toEqual({ ok: false, message: expect.stringMatching(/named model file/) });
    expect(await handlers.useLessonModel({ name: 'x', base64: encodeBase64(new Uint8Array(40)) })).toEqual({ ok: false, message: expect.stringMatching(/^The lesson's model "x" is not an MLP Lab model file/) });
    expect(await handlers.endLesson()).toEqual({ ok: true });
    expect(await handlers.useLessonModel({ name: 'Tiny', base64: encodeBase64(tinyModelBytes()) })).toEqual({ ok: true });
    expect(await handlers.endLesson()).toEqual({ ok: false, message: expect.stringMatching(/no model before the lesson/) });
  });

  it('saves a lesson that reads back, atomically, never into a library folder, and refuses one that would not', async () => {
    const target = join(dir, 'saved.mlplesson');
    expect(await setup(null, target).handlers.saveLesson(fullLesson(), 'Class')).toEqual({ ok: true, path: target });
    expect(readFileSync(target, 'utf8')).toBe(serializeLesson(fullLesson()));
    const broken = { ...fullLesson(), steps: [] };
    expect(await setup(null, target).handlers.saveLesson(broken, 'Class')).toEqual({ ok: false, canceled: false, message: 'The lesson: the lesson has no steps.' });
    mkdirSync(join(dir, 'library'), { recursive: true });
    expect(await setup(null, join(dir, 'library', 'x.mlplesson')).handlers.saveLesson(fullLesson(), 'x')).toEqual({ ok: false, canceled: false, message: expect.stringMatching(/outside MLP Lab's own library folders/) });
    expect(await setup(null, null).handlers.saveLesson(fullLesson(), 'x')).toEqual({ ok: false, canceled: true });
  });
});
