/** A mistake in how the command was called: exit code 2, with the usage hint. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options as given: `--key value`, `--flag`, `--no-flag`. */
export interface ParsedArgs {
  command: string | undefined;
  options: Map<string, string | boolean>;
}

/** The longest option value looked at: a path or a list of widths, never more. */
export const OPTION_VALUE_MAX_LENGTH = 4096;

/**
 * Splits argv into a command and its options. Which options take a value is declared by the
 * caller, so `--json` never swallows the next word and `--lr` without a number is an error. An
 * option given twice (`--lr 0.1 --lr 0.01`, `--shuffle --no-shuffle`) is an error, not "the last
 * one wins": one of the two is a mistake, and the user should choose which.
 */
export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>, flags: ReadonlySet<string>): ParsedArgs {
  const [command, ...rest] = argv;
  const options = new Map<string, string | boolean>();
  const given = new Map<string, string>();
  const set = (key: string, value: string | boolean, word: string): void => {
    const earlier = given.get(key);
    if (earlier !== undefined) throw new UsageError(`${earlier} and ${word} both set --${key}; give it once.`);
    given.set(key, word);
    options.set(key, value);
  };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!word.startsWith('--')) throw new UsageError(`Unexpected argument "${shorten(word)}"; options start with --.`);
    const [key, inline] = splitInline(word.slice(2));
    if (valued.has(key)) {
      const value = inline ?? rest[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${key} needs a value.`);
      if (value.length > OPTION_VALUE_MAX_LENGTH) throw new UsageError(`--${key} takes at most ${OPTION_VALUE_MAX_LENGTH} characters; got ${value.length}.`);
      set(key, value, `--${key}`);
    } else if (flags.has(key) && inline === undefined) {
      set(key, true, word);
    } else if (key.startsWith('no-') && flags.has(key.slice(3)) && inline === undefined) {
      set(key.slice(3), false, word);
    } else {
      throw new UsageError(`Unknown option --${shorten(key)}.`);
    }
  }
  return { command, options };
}

/** A word from the command line, cut to a length that fits in a one-line message. */
export function shorten(word: string): string {
  return word.length > 60 ? `${word.slice(0, 60)}…` : word;
}

function splitInline(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

/** A numeric option, or undefined when absent; a non-number is a usage error. */
export function numberOption(options: ParsedArgs['options'], key: string): number | undefined {
  const value = options.get(key);
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${key} must be a number; got "${String(value)}".`);
  return n;
}

export function stringOption(options: ParsedArgs['options'], key: string): string | undefined {
  const value = options.get(key);
  return typeof value === 'string' ? value : undefined;
}
