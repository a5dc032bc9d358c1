/**
 * The small vocabulary the lesson reader checks values with. Every check fails through `fail`,
 * which throws one line naming where in the file the problem is ("step 3's title …"), so a teacher
 * who wrote a lesson by hand can find and fix it.
 */
import { describeValue } from '../../engine/training/run-config';

/** Throws the reader's one-line refusal; `where` and the message make the sentence. */
export type Fail = (message: string) => never;

/** A JSON object with only the given fields (each may be absent); anything else is refused by name. */
export function objectWith(value: unknown, where: string, allowed: readonly string[], fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object; got ${describeValue(value)}.`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(`${where} has a field this version does not know: ${quote(key)} (known: ${allowed.join(', ')}).`);
  }
  return record;
}

// C0 and C1 controls but tab and line feed, unpaired surrogates, and the bidirectional overrides
// and isolates that can make text display as something other than what it is.
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
const FORBIDDEN_IN_LINE = /[\n\t]/;

export interface TextRule {
  max: number;
  /** May hold line breaks (a step's text, an answer); a title may not. */
  multiline?: boolean;
  /** May be empty. */
  empty?: boolean;
}

/** Text within its length, without hidden or direction-changing characters. */
export function textOf(value: unknown, where: string, rule: TextRule, fail: Fail): string {
  if (typeof value !== 'string') fail(`${where} must be text; got ${describeValue(value)}.`);
  const text = value as string;
  // A code point takes at most two UTF-16 units: far longer text is refused before it is counted.
  if (text.length > rule.max * 2) fail(`${where} is far longer than the ${rule.max} characters it may have.`);
  const length = [...text].length;
  if (length > rule.max) fail(`${where} has ${length} characters; at most ${rule.max} are allowed.`);
  if (!rule.empty && text.trim() === '') fail(`${where} is empty.`);
  if (FORBIDDEN_IN_TEXT.test(text) || (!rule.multiline && FORBIDDEN_IN_LINE.test(text))) {
    fail(`${where} contains ${rule.multiline ? 'control characters' : 'line breaks, tabs or control characters'} or hidden text-direction marks.`);
  }
  return text;
}

/** A number from `min` to `max` (whole if asked). */
export function numberOf(value: unknown, where: string, rule: { min: number; max: number; integer?: boolean; minExclusive?: boolean }, fail: Fail): number {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const range = `${kind} ${rule.minExclusive ? 'above' : 'from'} ${rule.min} ${rule.minExclusive ? 'and at most' : 'to'} ${rule.max}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where} must be ${range}; got ${describeValue(value)}.`);
  const n = value as number;
  const low = rule.minExclusive ? n <= rule.min : n < rule.min;
  if (low || n > rule.max || (rule.integer && !Number.isInteger(n))) fail(`${where} must be ${range}; got ${n}.`);
  return n;
}

/** One of a list of words. */
export function choiceOf<T extends string>(value: unknown, where: string, choices: readonly T[], fail: Fail): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(`${where} must be one of ${choices.join(', ')}; got ${describeValue(value)}.`);
  }
  return value as T;
}

/** A list of at most `max` entries. */
export function listOf(value: unknown, where: string, max: number, fail: Fail): unknown[] {
  if (!Array.isArray(value)) fail(`${where} must be a list; got ${describeValue(value)}.`);
  const list = value as unknown[];
  if (list.length > max) fail(`${where} has ${list.length} entries; at most ${max} are allowed.`);
  return list;
}

/** A value from a file, shown safely: as JSON, at most 40 characters. */
export function quote(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
