/** A mistake in how the command was called: exit code 2, with the usage hint. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options as given: `--key value`, `--flag`, `--no-flag`. */
export interface ParsedArgs {
  command: string | undefined;
  options: Map<string, string | boolean>;
}

/**
 * Splits argv into a command and its options. Which options take a value is declared by the
 * caller, so `--json` never swallows the next word and `--lr` without a number is an error.
 */
export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>, flags: ReadonlySet<string>): ParsedArgs {
  const [command, ...rest] = argv;
  const options = new Map<string, string | boolean>();
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!word.startsWith('--')) throw new UsageError(`Unexpected argument "${word}"; options start with --.`);
    const [key, inline] = splitInline(word.slice(2));
    if (valued.has(key)) {
      const value = inline ?? rest[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${key} needs a value.`);
      options.set(key, value);
    } else if (flags.has(key) && inline === undefined) {
      options.set(key, true);
    } else if (key.startsWith('no-') && flags.has(key.slice(3)) && inline === undefined) {
      options.set(key.slice(3), false);
    } else {
      throw new UsageError(`Unknown option --${key}.`);
    }
  }
  return { command, options };
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
