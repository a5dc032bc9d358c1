// The lesson editor's commands as main runs them, with the dialogs stood in: opening a lesson to
// edit gives an id for its file; saving with that id writes the same file without asking, with no
// id (or one main never gave) asks first; nothing the reader would refuse is written, and nothing
// goes into a library folder.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLessonHandlers, type LessonHandlerDeps } from '../../src/main/handlers/lesson-handlers';
import { createLessonInbox } from '../../src/main/lesson-launch';
import type { DatasetsService } from '../../src/main/datasets';
import { readLessonFile, writeLessonFile } from '../../src/node/lesson-file-io';
import { parseLesson, serializeLesson } from '../../src/shared/lesson/lesson-file';
import { fullLesson } from '../helpers/lesson-fixture';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-lesson-editor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Handlers whose dialogs answer from the lists given, counting how often each was shown. */
function setup(opens: (string | null)[], saves: (string | null)[]) {
  const asked = { open: 0, save: 0, suggested: [] as string[] };
  const deps: LessonHandlerDeps = {
    dialogs: {
      chooseOpenPath: async () => {
        asked.open++;
        return opens.shift() ?? null;
      },
      chooseSavePath: async (name) => {
        asked.save++;
        asked.suggested.push(name);
        return saves.shift() ?? null;
      },
    },
    inbox: createLessonInbox(),
    read: readLessonFile,
    write: writeLessonFile,
    engine: { request: async () => Promise.reject(new Error('no engine here')) } as unknown as LessonHandlerDeps['engine'],
    protectedDirs: [join(dir, 'library')],
  };
  return { handlers: createLessonHandlers(deps, {} as DatasetsService), asked };
}

const source = join(dir, 'class.mlplesson');
writeFileSync(source, serializeLesson(fullLesson()));

describe('lesson editor handlers', () => {
  it('opens a lesson to edit and saves it back to the same file without asking', async () => {
    const { handlers, asked } = setup([source], []);
    const opened = await handlers.openLessonToEdit();
    if (!opened.ok) throw new Error('expected the lesson to open');
    expect(opened.lesson).toEqual(fullLesson());
    expect(opened.fileName).toBe('class.mlplesson');
    const edited = { ...opened.lesson, title: 'Edited in the app' };
    expect(await handlers.saveEditedLesson(edited, opened.fileId)).toEqual({ ok: true, path: source, fileName: 'class.mlplesson', fileId: opened.fileId });
    expect(asked.save).toBe(0);
    expect(parseLesson(readFileSync(source, 'utf8'), 'class').title).toBe('Edited in the app');
  });

  it('asks where to save a new lesson, then keeps that file for the next save', async () => {
    const target = join(dir, 'new.mlplesson');
    const { handlers, asked } = setup([], [target]);
    const first = await handlers.saveEditedLesson(fullLesson(), null);
    if (!first.ok) throw new Error('expected the lesson to be saved');
    expect(first).toMatchObject({ path: target, fileName: 'new.mlplesson' });
    expect(asked).toMatchObject({ save: 1, suggested: [fullLesson().title] });
    const again = await handlers.saveEditedLesson({ ...fullLesson(), title: 'Second save' }, first.fileId);
    expect(again).toEqual({ ok: true, path: target, fileName: 'new.mlplesson', fileId: first.fileId });
    expect(asked.save).toBe(1);
    expect(parseLesson(readFileSync(target, 'utf8'), 'new').title).toBe('Second save');
  });

  it('asks again for an id it never gave, and answers a cancelled dialog as cancelled', async () => {
    const { handlers, asked } = setup([], [null]);
    expect(await handlers.saveEditedLesson(fullLesson(), 9999)).toEqual({ ok: false, canceled: true });
    expect(await handlers.saveEditedLesson(fullLesson(), 'a path' as unknown as number)).toEqual({ ok: false, canceled: true });
    expect(asked.save).toBe(2);
    expect(await setup([null], []).handlers.openLessonToEdit()).toEqual({ ok: false, canceled: true });
  });

  it('never writes a lesson the reader refuses, and says why in its words', async () => {
    const target = join(dir, 'never.mlplesson');
    const { handlers, asked } = setup([], [target]);
    const noTitle = { ...fullLesson(), steps: [{ ...fullLesson().steps[0], title: '  ' }] };
    expect(await handlers.saveEditedLesson(noTitle, null)).toEqual({ ok: false, canceled: false, message: "The lesson: step 1's title is empty." });
    expect(await handlers.saveEditedLesson({ title: 'x', steps: 'many' } as never, null)).toEqual({ ok: false, canceled: false, message: expect.stringMatching(/^The lesson: the lesson's steps must be a list/) });
    expect(asked.save).toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a library folder, and a file that is not a lesson, with one line', async () => {
    mkdirSync(join(dir, 'library'), { recursive: true });
    const { handlers } = setup([], [join(dir, 'library', 'x.mlplesson')]);
    expect(await handlers.saveEditedLesson(fullLesson(), null)).toEqual({ ok: false, canceled: false, message: expect.stringMatching(/outside MLP Lab's own library folders/) });
    const bad = join(dir, 'bad.mlplesson');
    writeFileSync(bad, 'not json');
    expect(await setup([bad], []).handlers.openLessonToEdit()).toEqual({ ok: false, canceled: false, message: expect.stringMatching(/^bad\.mlplesson: it is not a lesson file \(not valid JSON/) });
  });

  it('forgets the oldest files past its bound, so saving one of those asks again', async () => {
    const paths = Array.from({ length: 70 }, (_, i) => join(dir, `many-${i}.mlplesson`));
    const { handlers, asked } = setup([], [...paths]);
    const ids: number[] = [];
    for (let i = 0; i < paths.length; i++) {
      const saved = await handlers.saveEditedLesson(fullLesson(), null);
      if (!saved.ok) throw new Error('expected a save');
      ids.push(saved.fileId);
    }
    expect(asked.save).toBe(70);
    await handlers.saveEditedLesson(fullLesson(), ids[69]);
    expect(asked.save).toBe(70);
    await handlers.saveEditedLesson(fullLesson(), ids[0]);
    expect(asked.save).toBe(71);
  });
});
