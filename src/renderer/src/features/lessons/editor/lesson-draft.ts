/**
 * The lesson being edited, as plain data and plain functions: steps moved and deleted, and the
 * lesson checked by the format's own reader, so the editor never saves what could not be opened
 * again; the reader's refusal is turned into a sentence for the teacher.
 */
import type { Lesson, LessonStep, LessonStepState } from '$shared/lesson/lesson';
import { serializeLesson } from '$shared/lesson/lesson-file';
import { copyOf } from './lesson-capture';

/** A step with what the editor knows beside it: a key for the list and every part captured for it. */
export interface DraftStep {
  key: number;
  step: LessonStep;
  captured: LessonStepState;
}

/** The steps with `from` moved to `to` (both 0-based; out-of-range moves change nothing). */
export function moveStep<T>(steps: readonly T[], from: number, to: number): T[] {
  const moved = [...steps];
  if (from < 0 || from >= steps.length || to < 0 || to >= steps.length || from === to) return moved;
  const [step] = moved.splice(from, 1);
  moved.splice(to, 0, step);
  return moved;
}

/** The steps without step `index`. */
export function deleteStep<T>(steps: readonly T[], index: number): T[] {
  return steps.filter((_, i) => i !== index);
}

/** Which step to show after deleting `deleted` while `selected` was shown. */
export function selectionAfterDelete(selected: number, deleted: number, remaining: number): number {
  if (remaining === 0) return 0;
  if (selected > deleted) return selected - 1;
  return Math.min(selected, remaining - 1);
}

/** The lesson a draft stands for. */
export function lessonOf(title: string, steps: readonly DraftStep[]): Lesson {
  return { title, steps: steps.map((s) => s.step) };
}

/** The draft steps of a lesson read from a file: what each step sets is all that is known of it. */
export function draftStepsOf(lesson: Lesson, firstKey: number): DraftStep[] {
  return lesson.steps.map((step, i) => ({ key: firstKey + i, step: copyOf(step), captured: copyOf(step.state) }));
}

export type LessonCheck = { ok: true; text: string } | { ok: false; message: string };

const WHERE = 'The lesson';

/** The file's text, or the reader's refusal in plain words ("Step 2's title is empty."). */
export function checkLesson(lesson: Lesson): LessonCheck {
  if (lesson.steps.length === 0) return { ok: false, message: 'The lesson has no steps yet: add one with "Save as lesson step".' };
  try {
    return { ok: true, text: serializeLesson(lesson, WHERE) };
  } catch (error) {
    return { ok: false, message: plainMessage(error instanceof Error ? error.message : String(error)) };
  }
}

/** The reader's message without the file name it starts with, as a sentence. */
export function plainMessage(message: string): string {
  const text = message.startsWith(`${WHERE}: `) ? message.slice(WHERE.length + 2) : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The lesson without embedded models' bytes, for the check made at each keystroke (models are checked when embedded and on saving). */
export function withoutModels(lesson: Lesson): Lesson {
  return {
    ...lesson,
    steps: lesson.steps.map((step) => {
      if (step.state.model === undefined) return step;
      const state = { ...step.state };
      delete state.model;
      return { ...step, state };
    }),
  };
}
