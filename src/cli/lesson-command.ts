/**
 * `lesson check FILE`: reads a lesson file as the app would open it and says whether it can be
 * opened, and if not, why, in one line. Exit codes as for model files: 0 valid, 1 the file is
 * refused, 2 a usage error.
 */
import { resolve } from 'node:path';
import { UsageError, parseArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { readLessonFileSync } from '../node/lesson-file-io';
import type { Lesson } from '../shared/lesson/lesson';

export function lessonCommand(argv: readonly string[], io: CliIo): number {
  const [, action, file, ...rest] = argv;
  if (action !== 'check') throw new UsageError(action === undefined ? 'lesson needs an action: lesson check FILE.' : `Unknown lesson action "${action.slice(0, 40)}"; use lesson check FILE.`);
  if (file === undefined || file.startsWith('--')) throw new UsageError('lesson check needs the lesson file: lesson check FILE.');
  const { options } = parseArgs(['lesson', ...rest], new Set(), new Set(['json']));
  let lesson: Lesson;
  try {
    lesson = readLessonFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliFailure(`Cannot read ${file}: no such file.`);
    throw new CliFailure((error as Error).message);
  }
  const models = lesson.steps.filter((step) => step.state.model !== undefined).length;
  const questions = lesson.steps.reduce((n, step) => n + step.questions.length, 0);
  if (options.get('json') === true) {
    io.out(JSON.stringify({ type: 'lesson', file: resolve(file), valid: true, title: lesson.title, steps: lesson.steps.length, questions, models, screens: lesson.steps.map((s) => s.screen) }));
  } else {
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.out(`${file}: a valid lesson, "${lesson.title}": ${plural(lesson.steps.length, 'step')}, ${plural(questions, 'question')}, ${plural(models, 'embedded model')}.`);
  }
  return 0;
}
