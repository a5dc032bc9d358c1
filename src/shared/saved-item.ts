/**
 * The rules a saved model and a saved study both follow, so the two libraries accept and refuse
 * alike: an id is 128 random bits as 32 lowercase hexadecimal digits, so never a path; a name is
 * what the user typed, trimmed, of 1 to 100 characters with nothing hidden in it.
 */

/** What a saved thing is called in messages. */
export type SavedKind = 'model' | 'study';

/** A saved thing's id: 32 lowercase hexadecimal digits. */
export const SAVED_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The longest name, in characters (code points). */
export const SAVED_NAME_MAX_LENGTH = 100;

/** The longest raw name looked at: room for the longest name in surrogate pairs, with spaces around it. */
const SAVED_NAME_RAW_MAX_LENGTH = 4 * SAVED_NAME_MAX_LENGTH;

/** Whether a value from anywhere (the renderer included) is a well-formed id. */
export function isSavedId(value: unknown): value is string {
  return typeof value === 'string' && SAVED_ID_PATTERN.test(value);
}

/** Why a value is not an id, quoting it safely (escaped, at most 40 characters). */
export function describeBadId(value: unknown, kind: SavedKind): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : `a ${value === null ? 'null' : typeof value}`;
  return `${shown} is not a ${kind} id (a ${kind} id is 32 hexadecimal digits); nothing was read or written.`;
}

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

// C0 and C1 controls, unpaired surrogates, and the bidirectional overrides and isolates that can
// make a name display as something other than what it is.
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

/** Checks a name from the user; leading and trailing spaces are dropped from the result. */
export function checkSavedName(value: unknown, kind: SavedKind): NameCheck {
  if (typeof value !== 'string') return { ok: false, message: `A ${kind} name must be text.` };
  // A code point takes at most two UTF-16 units and trimming drops at most the surrounding spaces:
  // anything far longer is refused on its raw length, before it is trimmed or counted.
  if (value.length > SAVED_NAME_RAW_MAX_LENGTH) {
    return { ok: false, message: `A ${kind} name can have at most ${SAVED_NAME_MAX_LENGTH} characters; this one is far longer.` };
  }
  const name = value.trim();
  if (name === '') return { ok: false, message: `Give the ${kind} a name.` };
  const length = [...name].length;
  if (length > SAVED_NAME_MAX_LENGTH) {
    return { ok: false, message: `A ${kind} name can have at most ${SAVED_NAME_MAX_LENGTH} characters; this one has ${length}.` };
  }
  if (FORBIDDEN_IN_NAME.test(name)) {
    return { ok: false, message: `A ${kind} name cannot contain control characters (line breaks, tabs) or hidden text-direction marks.` };
  }
  return { ok: true, name };
}
