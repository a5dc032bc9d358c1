/**
 * The `.mlplesson` file: a lesson as UTF-8 JSON, read with every value checked and refused with one
 * line that names the file, the place and the problem; written so that reading it back gives the
 * same lesson. The format fields are checked first: a file from a newer MLP Lab may lay out its
 * steps differently, so it is refused by its version, not by what this version fails to find.
 */
import { LESSON_FORMAT, LESSON_FORMAT_VERSION, LESSON_LIMITS, type Lesson, type LessonQuestion, type LessonStep } from './lesson';
import { CONTROL_IDS, CONTROL_STATES, LESSON_SCREENS, isControlId, type ControlStates } from './lesson-controls';
import { choiceOf, listOf, objectWith, quote, textOf, type Fail } from './lesson-check';
import { readStepState } from './lesson-state-read';

/** A file that is not a lesson this version can open; the message is one line naming the file. */
export class LessonFileError extends Error {
  override name = 'LessonFileError';
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a lesson from the file's text; throws a `LessonFileError` saying exactly what is wrong. */
export function parseLesson(text: string, fileName: string): Lesson {
  const fail: Fail = (message) => {
    throw new LessonFileError(fileName, `${fileName}: ${message}`);
  };
  if (text.length > LESSON_LIMITS.fileBytes) fail(`it is larger than the ${LESSON_LIMITS.fileBytes / (1024 * 1024)} MiB a lesson file may be.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser quotes the text around the error, line breaks and all: kept to one line.
    const why = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    return fail(`it is not a lesson file (not valid JSON: ${why}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('it is not a lesson file (not a JSON object).');
  const { format, formatVersion } = value as Record<string, unknown>;
  if (format !== LESSON_FORMAT) fail(`it is not an MLP Lab lesson (its "format" is ${quote(format)}, not "${LESSON_FORMAT}").`);
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion) || formatVersion < 1) {
    fail(`it is damaged (its formatVersion, ${quote(formatVersion)}, is not a positive whole number).`);
  }
  if ((formatVersion as number) > LESSON_FORMAT_VERSION) {
    fail(`it was saved by a newer MLP Lab (lesson format ${formatVersion as number}; this version reads format ${LESSON_FORMAT_VERSION}). Update MLP Lab to open it.`);
  }
  const v = objectWith(value, 'the lesson', ['format', 'formatVersion', 'title', 'steps'], fail);
  const title = textOf(v.title, "the lesson's title", { max: LESSON_LIMITS.titleLength }, fail);
  const rawSteps = listOf(v.steps, "the lesson's steps", LESSON_LIMITS.steps, fail);
  if (rawSteps.length === 0) fail('the lesson has no steps.');
  const models = { bytes: 0 };
  const steps = rawSteps.map((step, i) => readStep(step, `step ${i + 1}`, fail, models));
  return { title, steps };
}

function readStep(value: unknown, where: string, fail: Fail, models: { bytes: number }): LessonStep {
  const v = objectWith(value, where, ['title', 'text', 'screen', 'state', 'controls', 'questions'], fail);
  return {
    title: textOf(v.title, `${where}'s title`, { max: LESSON_LIMITS.titleLength }, fail),
    text: textOf(v.text, `${where}'s text`, { max: LESSON_LIMITS.textLength, multiline: true, empty: true }, fail),
    screen: choiceOf(v.screen, `${where}'s screen`, LESSON_SCREENS, fail),
    state: v.state === undefined ? {} : readStepState(v.state, `${where}'s state`, fail, models),
    controls: v.controls === undefined ? {} : readControls(v.controls, `${where}'s controls`, fail),
    questions: v.questions === undefined ? [] : listOf(v.questions, `${where}'s questions`, LESSON_LIMITS.questionsPerStep, fail).map((q, k) => readQuestion(q, `${where}, question ${k + 1}`, fail)),
  };
}

function readControls(value: unknown, where: string, fail: Fail): ControlStates {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object of control ids and states.`);
  const controls: ControlStates = {};
  for (const [id, state] of Object.entries(value as Record<string, unknown>)) {
    if (!isControlId(id)) fail(`${where}: ${quote(id)} is not a control of MLP Lab (known: ${CONTROL_IDS.join(', ')}).`);
    controls[id as keyof ControlStates] = choiceOf(state, `${where}: ${id}`, CONTROL_STATES, fail);
  }
  return controls;
}

function readQuestion(value: unknown, where: string, fail: Fail): LessonQuestion {
  const v = objectWith(value, where, ['question', 'answer'], fail);
  const question: LessonQuestion = { question: textOf(v.question, where, { max: LESSON_LIMITS.questionLength, multiline: true }, fail) };
  if (v.answer !== undefined) question.answer = textOf(v.answer, `${where}'s answer`, { max: LESSON_LIMITS.answerLength, multiline: true }, fail);
  return question;
}

/**
 * The file's text for a lesson: checked by reading it back first, so a lesson that could not be
 * opened again is never written (the error says why, as it would on opening).
 */
export function serializeLesson(lesson: Lesson, fileName = 'the lesson'): string {
  const text = JSON.stringify({ format: LESSON_FORMAT, formatVersion: LESSON_FORMAT_VERSION, title: lesson.title, steps: lesson.steps }, null, 2) + '\n';
  parseLesson(text, fileName);
  return text;
}
