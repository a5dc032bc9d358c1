/** The built-in lessons, read and checked as any lesson file is, in the order the Lessons menu lists them. */
import type { Lesson } from '$shared/lesson/lesson';
import { parseLesson } from '$shared/lesson/lesson-file';
import { BUILT_IN_LESSON_DOCUMENTS } from './documents';

export const BUILT_IN_LESSONS: readonly Lesson[] = BUILT_IN_LESSON_DOCUMENTS.map((document, i) => parseLesson(JSON.stringify(document), `built-in lesson ${i + 1}`));
