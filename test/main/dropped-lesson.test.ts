// A lesson file dropped on the window, as main gets it: the path the preload found with Electron's
// webUtils.getPathForFile. Main reads it only if it is an absolute path to a .mlplesson regular file
// within the lesson limit, outside the library folders; then its dataset folder works as for a file
// opened through the dialog. Anything else is refused in one line, and nothing is remembered.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLessonHandlers } from '../../src/main/handlers/lesson-handlers';
import { createLessonInbox } from '../../src/main/lesson-launch';
import type { DatasetsService } from '../../src/main/datasets';
import type { LessonHandlerDeps } from '../../src/main/handlers/lesson-handlers';
import { readLessonFile, writeLessonFile } from '../../src/node/lesson-file-io';
import { LESSON_LIMITS } from '../../src/shared/lesson/lesson';
import { serializeLesson } from '../../src/shared/lesson/lesson-file';
import { withinBounds } from '../helpers/bounds';
import { fullLesson } from '../helpers/lesson-fixture';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-dropped-lesson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const library = join(dir, 'library');
mkdirSync(join(dir, 'class'), { recursive: true });
mkdirSync(library);
const lessonPath = join(dir, 'class', 'week1.mlplesson');
writeFileSync(lessonPath, serializeLesson(fullLesson()));

function setup() {
  const opened: string[] = [];
  const reads: string[] = [];
  const datasets = {
    openFolderAt: async (path: string) => (opened.push(path), { ok: true, dataset: { id: 'folder-1', name: 'digits', source: path, trainCount: 1, testCount: 1, rows: 28, cols: 28, classes: 10 } }),
  } as unknown as DatasetsService;
  const engine = { request: async () => ({ model: null }) } as unknown as LessonHandlerDeps['engine'];
  const read = (path: string) => (reads.push(path), readLessonFile(path));
  const handlers = createLessonHandlers(
    { dialogs: { chooseOpenPath: async () => null, chooseSavePath: async () => null }, inbox: createLessonInbox(), read, write: writeLessonFile, engine, protectedDirs: [library] },
    datasets,
  );
  return { handlers, opened, reads };
}

describe('a lesson dropped on the window (main side)', () => {
  it('reads and checks the dropped file, and finds its dataset folder beside it', async () => {
    const { handlers, opened } = setup();
    expect(await handlers.openDroppedLesson(lessonPath)).toEqual({ ok: true, lesson: fullLesson(), fileName: 'week1.mlplesson' });
    expect((await handlers.openLessonDataset('data/fashion')).ok).toBe(true);
    expect(opened).toEqual([join(dir, 'class', 'data', 'fashion')]);
  });

  it('accepts the extension in any case, as the dialog filter and the command line do', async () => {
    const upper = join(dir, 'class', 'WEEK2.MLPLESSON');
    writeFileSync(upper, serializeLesson(fullLesson()));
    expect((await setup().handlers.openDroppedLesson(upper)).ok).toBe(true);
  });

  it('refuses, in one line and without remembering the path, anything that is not a lesson file it may read', async () => {
    const notLesson = join(dir, 'class', 'notes.txt');
    writeFileSync(notLesson, serializeLesson(fullLesson()));
    const folder = join(dir, 'class', 'folder.mlplesson');
    mkdirSync(folder);
    const fifo = join(dir, 'class', 'pipe.mlplesson');
    execFileSync('mkfifo', [fifo]);
    const huge = join(dir, 'class', 'huge.mlplesson');
    writeFileSync(huge, '');
    truncateSync(huge, LESSON_LIMITS.fileBytes + 1);
    const inLibrary = join(library, 'hidden.mlplesson');
    writeFileSync(inLibrary, serializeLesson(fullLesson()));
    const linkIntoLibrary = join(dir, 'class', 'link.mlplesson');
    symlinkSync(inLibrary, linkIntoLibrary);
    const damaged = join(dir, 'class', 'damaged.mlplesson');
    writeFileSync(damaged, '{"format": "mlp-lab-lesson"');

    const cases: [unknown, RegExp][] = [
      [notLesson, /^Only a \.mlplesson file dropped on the window is opened as a lesson\.$/],
      ['/dev/zero', /^Only a \.mlplesson file/],
      [folder, /folder\.mlplesson.*(not a regular file|is a folder)/i],
      [fifo, /pipe\.mlplesson.*not a regular file/i],
      [huge, /^huge\.mlplesson is .* more than the 40 MiB a lesson file may be; it was not read\.$/],
      [join(dir, 'class', 'missing.mlplesson'), /missing\.mlplesson/],
      [damaged, /^damaged\.mlplesson: /],
      [inLibrary, /^A lesson is not opened from MLP Lab's own library folders/],
      [linkIntoLibrary, /^A lesson is not opened from MLP Lab's own library folders/],
      ['class/week1.mlplesson', /has no usable path/],
      [`${lessonPath}\0.txt`, /has no usable path/],
      ['', /has no usable path/],
      [`/${'a'.repeat(5000)}.mlplesson`, /has no usable path/],
      [42, /has no usable path/],
      [null, /has no usable path/],
      [{ path: lessonPath }, /has no usable path/],
      [[lessonPath], /has no usable path/],
    ];
    const { handlers, reads, opened } = setup();
    for (const [path, message] of cases) {
      const { result } = await withinBounds(() => handlers.openDroppedLesson(path), { ms: 2000, peakRiseMiB: 64 });
      expect(result, String(path).slice(0, 80)).toEqual({ ok: false, canceled: false, message: expect.stringMatching(message) });
      expect((result as { message: string }).message).not.toContain('\n');
    }
    // The bounded reader saw only the paths that passed the path checks.
    expect(reads).toEqual([folder, fifo, huge, join(dir, 'class', 'missing.mlplesson'), damaged]);
    // No refused path became the lesson's folder.
    expect(await handlers.openLessonDataset('data/fashion')).toEqual({ ok: false, message: expect.stringMatching(/open the lesson with "Open lesson file…"/) });
    expect(opened).toEqual([]);
  });

  it('a refused drop leaves the folder of the lesson opened before it', async () => {
    const { handlers, opened } = setup();
    expect((await handlers.openDroppedLesson(lessonPath)).ok).toBe(true);
    expect((await handlers.openDroppedLesson(join(library, 'hidden.mlplesson'))).ok).toBe(false);
    expect((await handlers.openLessonDataset('data')).ok).toBe(true);
    expect(opened).toEqual([join(dir, 'class', 'data')]);
  });
});
