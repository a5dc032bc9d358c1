// `lesson check FILE` as a teacher runs it: a valid lesson is described, a bad one refused in one
// line with exit code 1, a wrong call with exit code 2, as for model files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeLesson } from '../../src/shared/lesson/lesson-file';
import { fullLesson } from '../helpers/lesson-fixture';
import { cli, jsonLines } from '../helpers/run-script';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-lesson-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lesson check', () => {
  const good = join(dir, 'class.mlplesson');
  writeFileSync(good, serializeLesson(fullLesson()));

  it('describes a valid lesson, in words or as JSON, with exit code 0', async () => {
    const words = await cli('lesson', 'check', good);
    expect(words).toEqual({ code: 0, stdout: `${good}: a valid lesson, "Everything a lesson can hold": 5 steps, 3 questions, 1 embedded model.\n`, stderr: '' });
    const json = await cli('lesson', 'check', good, '--json');
    expect(json.code).toBe(0);
    expect(jsonLines(json.stdout)).toEqual([
      { type: 'lesson', file: good, valid: true, title: 'Everything a lesson can hold', steps: 5, questions: 3, models: 1, screens: ['train', 'evaluate', 'experiments', 'experiments', 'perceptron'] },
    ]);
  });

  it('refuses a damaged, newer, missing or non-file lesson in one line with exit code 1', async () => {
    const newer = join(dir, 'newer.mlplesson');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(serializeLesson(fullLesson())), formatVersion: 2 }));
    const latin1 = join(dir, 'latin1.mlplesson');
    writeFileSync(latin1, Uint8Array.from([0x7b, 0xe9, 0x7d]));
    const folder = join(dir, 'folder.mlplesson');
    mkdirSync(folder);
    const expectations: [string, RegExp][] = [
      [newer, /^error: newer\.mlplesson: it was saved by a newer MLP Lab \(lesson format 2; this version reads format 1\)\. Update MLP Lab to open it\.\n$/],
      [latin1, /^error: latin1\.mlplesson: it is not a lesson file \(its text is not UTF-8\)\.\n$/],
      [join(dir, 'missing.mlplesson'), /^error: Cannot read .*missing\.mlplesson: no such file\.\n$/],
      [folder, /^error: folder\.mlplesson is a folder, not a regular file/],
    ];
    for (const [file, message] of expectations) {
      const result = await cli('lesson', 'check', file);
      expect(result.code, file).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    }
  });

  it('answers a wrong call with the usage hint and exit code 2', async () => {
    for (const args of [['lesson'], ['lesson', 'open', good], ['lesson', 'check'], ['lesson', 'check', good, '--fast']]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/Run "npm run -s cli -- help" for usage/);
    }
    const help = await cli('lesson', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/lesson check FILE/);
  });
});
