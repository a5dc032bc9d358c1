/**
 * The saved-study store on a real temporary folder, through a file system that records every call:
 * a rename rewrites the file atomically (temporary file, flush, rename) and keeps the rest of the
 * study; a failed rename leaves the old file; a delete removes the file; ids are checked before any
 * path is built and names before anything is written, and a missing or unreadable file is a message.
 * Files carry their format: one without is format 1, one from a newer MLP Lab is listed with its
 * problem (as are broken files) and can be deleted, but is never opened or rewritten.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudyStore, type StudyStoreFs } from '../../src/main/study-store';
import { STUDY_FORMAT, type StudyData } from '../../src/shared/study-api';
import { runTimeToTarget } from '../../src/shared/time-to-target';
import { ATOMIC_WRITE_CALLS, badIds, recordingFs, type Call } from '../helpers/recording-fs';
import { finishedStudy, studyIdOf } from '../helpers/study-fixture';

const root = fs.mkdtempSync(join(tmpdir(), 'mlp-lab-study-store-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const idOf = studyIdOf;
const study = (n: number, name: string): StudyData => finishedStudy(n, name);

let folders = 0;
/** A store on a fresh folder whose file-system calls are recorded; `override` replaces some of them. */
function setup(override: Partial<StudyStoreFs> = {}) {
  const dir = join(root, `case-${++folders}`);
  const calls: Call[] = [];
  const recording = recordingFs<StudyStoreFs>([...ATOMIC_WRITE_CALLS, 'readdirSync', 'readStudy', 'mkdirSync'], calls, { readStudy: (path) => fs.promises.readFile(path), ...override });
  return { dir, calls, store: createStudyStore(dir, recording) };
}

/** Every file in a folder with its text, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(join(dir, name), 'utf8')]));
}

const fileOf = (dir: string, id: string): unknown => JSON.parse(fs.readFileSync(join(dir, `${id}.json`), 'utf8'));

describe('the study store', () => {
  it('renames a study by rewriting its file atomically, keeping every other field, curves included', async () => {
    const { dir, calls, store } = setup();
    const kept = study(1, 'Batch sizes');
    await store.save(kept);
    await store.save(study(2, 'Other'));
    calls.length = 0;

    expect((await store.rename(kept.id, '  Batch 16 vs 32  '))).toEqual({ ok: true });
    expect(fileOf(dir, kept.id)).toEqual({ format: 1, ...kept, name: 'Batch 16 vs 32' });
    expect(fileOf(dir, idOf(2))).toEqual({ format: 1, ...study(2, 'Other') });
    expect((await store.list()).map((s) => (s.status === 'ok' ? [s.id, s.name, s.runCount] : s))).toEqual([[idOf(2), 'Other', 2], [kept.id, 'Batch 16 vs 32', 2]]);
    expect(fs.readdirSync(dir).sort()).toEqual([`${idOf(1)}.json`, `${idOf(2)}.json`]);

    // Written to a hidden temporary file in the same folder, flushed, then renamed over the study.
    const target = join(dir, `${kept.id}.json`);
    const opened = calls.find(([name]) => name === 'openSync');
    expect(opened?.[1]).toMatch(new RegExp(`^${dir}/\\.${kept.id}\\.json\\.[0-9a-f]+\\.tmp$`));
    expect(opened?.[2]).toBe('wx');
    const names = calls.map(([name]) => name);
    expect(names.indexOf('fsyncSync')).toBeLessThan(names.indexOf('renameSync'));
    expect(calls.find(([name]) => name === 'renameSync')).toEqual(['renameSync', opened?.[1], target]);
    expect(calls.filter(([name, path]) => name === 'openSync' && path === target)).toEqual([]);
  });

  it('keeps the old file intact, and leaves no temporary file, when the rename\'s write fails', async () => {
    let fail = false;
    const { dir, store } = setup({
      renameSync: (from, to) => {
        if (fail) throw Object.assign(new Error('EIO: simulated failure, rename'), { code: 'EIO' });
        fs.renameSync(from, to);
      },
    });
    await store.save(study(1, 'Original'));
    const before = snapshot(dir);
    fail = true;
    expect((await store.rename(idOf(1), 'Renamed'))).toEqual({
      ok: false,
      message: 'Could not rename the study to "Renamed"; it keeps its old name: EIO: simulated failure, rename',
    });
    expect(snapshot(dir)).toEqual(before);
  });

  it('renaming to the name it has writes nothing', async () => {
    const { calls, store } = setup();
    await store.save(study(1, 'Same'));
    calls.length = 0;
    expect((await store.rename(idOf(1), ' Same '))).toEqual({ ok: true });
    expect(calls.map(([name]) => name)).toEqual(['readStudy']);
  });

  it('deletes a study\'s file; deleting it again, renaming or opening it says it is gone', async () => {
    const { dir, store } = setup();
    await store.save(study(1, 'Keep'));
    await store.save(study(2, 'Drop'));
    expect(store.delete(idOf(2))).toEqual({ ok: true });
    expect(fs.readdirSync(dir)).toEqual([`${idOf(1)}.json`]);
    expect((await store.list())).toEqual([expect.objectContaining({ status: 'ok', name: 'Keep' })]);
    expect(store.delete(idOf(2))).toEqual({ ok: false, message: 'That study is no longer saved; it may have been deleted already. Refresh the list.' });
    expect((await store.rename(idOf(2), 'Back'))).toEqual({ ok: false, message: 'That study is no longer saved; it may have been deleted.' });
    expect((await store.open(idOf(2)))).toEqual({ ok: false, message: 'That study is no longer saved; it may have been deleted.' });
    // The rename of a missing study did not create one.
    expect(fs.readdirSync(dir)).toEqual([`${idOf(1)}.json`]);
  });

  it('says why a delete failed for another reason', async () => {
    const { store } = setup({ unlinkSync: () => { throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }); } });
    await store.save(study(1, 'Locked'));
    expect(store.delete(idOf(1))).toEqual({ ok: false, message: `Could not delete the saved study ${idOf(1)}: EACCES: permission denied` });
  });

  it('opens and lists a study saved before epochs kept their times, as it was; only its own target can be timed', async () => {
    const { dir, store } = setup();
    fs.mkdirSync(dir, { recursive: true });
    // What an MLP Lab without per-epoch times wrote: the epochs are the engine's metrics alone.
    const older = study(4, 'Saved last term');
    const text = JSON.stringify(older);
    expect(text).not.toContain('secondsSinceStart');
    fs.writeFileSync(join(dir, `${older.id}.json`), text);

    const opened = await store.open(older.id);
    expect(opened).toEqual({ ok: true, study: older });
    expect((await store.list())).toEqual([{ status: 'ok', id: older.id, name: 'Saved last term', createdAt: older.createdAt, runCount: 2, finished: true }]);
    if (!opened.ok) return;
    const [run] = opened.study.runs;
    expect(runTimeToTarget(run, run.epochs, 0.9, opened.study.targetAccuracy)).toEqual({ seconds: 2, recorded: true });
    expect(runTimeToTarget(run, run.epochs, 0.8, opened.study.targetAccuracy)).toEqual({ seconds: null, recorded: false });
    // Renaming it keeps it as it was, still without times (and writes the current format).
    expect((await store.rename(older.id, 'Last term'))).toEqual({ ok: true });
    expect(fileOf(dir, older.id)).toEqual({ format: 1, ...older, name: 'Last term' });
  });

  it('writes the current format, and reads a file without one as format 1', async () => {
    expect(STUDY_FORMAT).toBe(1);
    const { dir, store } = setup();
    const saved = study(1, 'Now');
    await store.save(saved);
    const text = fs.readFileSync(join(dir, `${saved.id}.json`), 'utf8');
    expect(text.startsWith('{"format":1,"id":')).toBe(true);
    expect(JSON.parse(text)).toEqual({ format: 1, ...saved });
    // The format is the file's, not the study's: it is not handed on.
    expect((await store.open(saved.id))).toEqual({ ok: true, study: saved });

    // What MLP Lab wrote before formats were numbered.
    const older = study(2, 'Before formats');
    const olderText = JSON.stringify(older);
    expect(olderText).not.toContain('"format"');
    fs.writeFileSync(join(dir, `${older.id}.json`), olderText);
    expect((await store.open(older.id))).toEqual({ ok: true, study: older });
    expect((await store.list()).map((s) => [s.status, s.id])).toEqual([['ok', older.id], ['ok', saved.id]]);
  });

  it('lists a file from a newer MLP Lab as unreadable, saying so; it is never opened or rewritten, and can be deleted', async () => {
    const { dir, calls, store } = setup();
    await store.save(study(1, 'Ours'));
    // A name, a date and runs, as this version expects, but in a layout it does not know.
    const newer = { format: 2, ...study(2, 'From next year'), runs: [{ curves: 'elsewhere' }] };
    const newerPath = join(dir, `${idOf(2)}.json`);
    const newerText = `${JSON.stringify(newer, null, 2)}\n`;
    fs.writeFileSync(newerPath, newerText);
    const message = `The saved study ${idOf(2)} was saved by a newer MLP Lab (study format 2; this version reads format 1). Update MLP Lab to open it.`;

    expect((await store.list())).toEqual([
      expect.objectContaining({ status: 'ok', id: idOf(1), name: 'Ours' }),
      { status: 'error', id: idOf(2), fileName: `${idOf(2)}.json`, message },
    ]);
    calls.length = 0;
    expect((await store.open(idOf(2)))).toEqual({ ok: false, message });
    expect((await store.rename(idOf(2), 'Renamed here'))).toEqual({ ok: false, message });
    expect((await store.rename(idOf(2), 'From next year'))).toEqual({ ok: false, message });
    // Read, never written: the file is as the newer version left it, byte for byte.
    expect(calls.map(([name]) => name)).toEqual(['readStudy', 'readStudy', 'readStudy']);
    expect(fs.readFileSync(newerPath, 'utf8')).toBe(newerText);

    expect(store.delete(idOf(2))).toEqual({ ok: true });
    expect(fs.readdirSync(dir)).toEqual([`${idOf(1)}.json`]);
    expect((await store.list()).map((s) => s.id)).toEqual([idOf(1)]);
  });

  it('lists broken and non-study files with their problems after the readable studies, refuses them, and leaves them as they were', async () => {
    const { dir, store } = setup();
    await store.save(study(1, 'Older'));
    await store.save(study(5, 'Newer'));
    fs.writeFileSync(join(dir, `${idOf(2)}.json`), '{"name": "half');
    fs.writeFileSync(join(dir, `${idOf(3)}.json`), '[1, 2, 3]');
    fs.writeFileSync(join(dir, `${idOf(4)}.json`), '{"format": 1, "title": "not a study"}');
    // Not named by a study id, or the atomic writer's leftovers: not study files.
    fs.writeFileSync(join(dir, 'notes.json'), '{}');
    fs.writeFileSync(join(dir, `.${idOf(6)}.json.0123abcd.tmp`), '{"na');
    const before = snapshot(dir);

    const notJson = expect.stringMatching(new RegExp(`^The saved study ${idOf(2)} cannot be read: it is damaged \\(not valid JSON: .*JSON.*\\)\\.$`));
    const notStudy = (n: number) => `The saved study ${idOf(n)} cannot be read: it is not a saved study (its name, date or runs are missing).`;
    expect((await store.list())).toEqual([
      expect.objectContaining({ status: 'ok', id: idOf(5), name: 'Newer' }),
      expect.objectContaining({ status: 'ok', id: idOf(1), name: 'Older' }),
      { status: 'error', id: idOf(2), fileName: `${idOf(2)}.json`, message: notJson },
      { status: 'error', id: idOf(3), fileName: `${idOf(3)}.json`, message: notStudy(3) },
      { status: 'error', id: idOf(4), fileName: `${idOf(4)}.json`, message: notStudy(4) },
    ]);
    expect((await store.open(idOf(2)))).toEqual({ ok: false, message: notJson });
    expect((await store.rename(idOf(2), 'x'))).toEqual({ ok: false, message: notJson });
    for (const n of [3, 4]) {
      expect((await store.open(idOf(n)))).toEqual({ ok: false, message: notStudy(n) });
      expect((await store.rename(idOf(n), 'x'))).toEqual({ ok: false, message: notStudy(n) });
    }
    expect(snapshot(dir)).toEqual(before);

    expect(store.delete(idOf(2))).toEqual({ ok: true });
    expect((await store.list()).map((s) => s.id)).toEqual([idOf(5), idOf(1), idOf(3), idOf(4)]);
  });

  it('treats a format that is not a positive whole number as a broken file', async () => {
    const { dir, store } = setup();
    const cases = [
      ['1.5', '1.5'],
      ['0', '0'],
      ['-2', '-2'],
      ['"1"', '"1"'],
      ['null', 'null'],
      ['true', 'true'],
      ['[1]', '[1]'],
      // Too large for a number: JSON reads it as Infinity.
      ['1e400', 'Infinity'],
      [`"${'9'.repeat(60)}"`, `"${'9'.repeat(39)}…`],
    ] as const;
    fs.mkdirSync(dir, { recursive: true });
    cases.forEach(([format], n) => {
      fs.writeFileSync(join(dir, `${idOf(n + 1)}.json`), JSON.stringify(study(n + 1, `Case ${n}`)).replace(/^\{/, `{"format":${format},`));
    });
    const before = snapshot(dir);
    for (const [n, [, shown]] of cases.entries()) {
      const message = `The saved study ${idOf(n + 1)} cannot be read: it is damaged (its format, ${shown}, is not a positive whole number).`;
      expect(await store.open(idOf(n + 1)), shown).toEqual({ ok: false, message });
      expect(await store.rename(idOf(n + 1), 'x'), shown).toEqual({ ok: false, message });
    }
    expect((await store.list()).map((s) => s.status)).toEqual(cases.map(() => 'error'));
    expect(snapshot(dir)).toEqual(before);
    // A whole number written with a fraction part is still that number: 1.0 is format 1.
    fs.writeFileSync(join(dir, `${idOf(1)}.json`), JSON.stringify(study(1, 'One')).replace(/^\{/, '{"format":1.0,'));
    expect((await store.open(idOf(1)))).toEqual({ ok: true, study: study(1, 'One') });
  });

  it('refuses path-traversal and malformed ids in every call, before touching the disk', async () => {
    const { dir, calls, store } = setup();
    await store.save(study(1, 'Victim'));
    const before = snapshot(dir);
    calls.length = 0;
    for (const id of badIds('.json')) {
      for (const [call, result] of [
        ['open', (await store.open(id))],
        ['rename', (await store.rename(id, 'Hacked'))],
        ['delete', store.delete(id)],
      ] as const) {
        expect(result, `${call}(${String(id)})`).toEqual({
          ok: false,
          message: expect.stringMatching(/ is not a study id \(a study id is 32 hexadecimal digits\); nothing was read or written\.$/),
        });
      }
    }
    expect(calls).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    expect(store.delete('a\nb')).toEqual({ ok: false, message: '"a\\nb" is not a study id (a study id is 32 hexadecimal digits); nothing was read or written.' });
  });

  it('refuses bad names (not text, empty, too long, control characters) with the model name rule, and writes nothing', async () => {
    const { dir, calls, store } = setup();
    await store.save(study(1, 'Fine'));
    const before = snapshot(dir);
    calls.length = 0;
    for (const [name, message] of [
      [42, 'A study name must be text.'],
      [null, 'A study name must be text.'],
      ['', 'Give the study a name.'],
      ['   ', 'Give the study a name.'],
      ['x'.repeat(101), 'A study name can have at most 100 characters; this one has 101.'],
      ['line\nbreak', /control characters/],
      ['evil\u202Etxt', /hidden text-direction marks/],
    ] as const) {
      expect((await store.rename(idOf(1), name)), String(name)).toEqual({ ok: false, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    }
    expect(calls).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    // 100 characters counted as characters, not UTF-16 units.
    expect((await store.rename(idOf(1), '🙂'.repeat(100)))).toEqual({ ok: true });
    expect((await store.list())).toEqual([expect.objectContaining({ status: 'ok', name: '🙂'.repeat(100) })]);
  });
});
