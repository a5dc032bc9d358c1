/**
 * A saved study's file, from its text to the study it holds or the reason it cannot be opened. The
 * format is checked before the rest: a newer layout may lack what this version looks for, or mean
 * something else by it.
 *
 * `parseStudyText` refers to nothing outside its own body, so that the study list can run it on a
 * worker thread from its source text (study-list-thread.ts): a study file may be tens of MiB, and
 * parsing one on the main thread would hold the window for seconds.
 */
import type { StudyData } from '../shared/study-api';

export type ParsedStudyFile = { status: 'ok'; study: StudyData } | { status: 'error'; message: string };

/** `text` read from `<id>.json`; `currentFormat` is the newest study format this version reads. */
export function parseStudyText(id: string, text: string, currentFormat: number): ParsedStudyFile {
  const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  // A value from a file, shown safely in a message: as JSON (a number as itself), at most 40 characters.
  const quote = (value: unknown): string => {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
  };
  const unreadable = (why: string): ParsedStudyFile => ({ status: 'error', message: `The saved study ${id} cannot be read: ${why}` });
  const notAStudy = 'it is not a saved study (its name, date or runs are missing).';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return unreadable(`it is damaged (not valid JSON: ${messageOf(error)}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return unreadable(notAStudy);
  // Files written before formats were numbered have none: they are format 1.
  const { format = 1, ...study } = value as Record<string, unknown>;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    return unreadable(`it is damaged (its format, ${quote(format)}, is not a positive whole number).`);
  }
  if (format > currentFormat) {
    return {
      status: 'error',
      message: `The saved study ${id} was saved by a newer MLP Lab (study format ${format}; this version reads format ${currentFormat}). Update MLP Lab to open it.`,
    };
  }
  // Enough of a study's shape to list it and to rename it without losing anything.
  const { name, createdAt, runs } = study;
  if (typeof name !== 'string' || typeof createdAt !== 'string' || !Array.isArray(runs)) return unreadable(notAStudy);
  return { status: 'ok', study: study as unknown as StudyData };
}
