/** Where the CLI writes, injectable so tests can run commands in-process. */
export interface CliIo {
  /** One line of results (JSON lines with --json). */
  out(line: string): void;
  /** Human progress and messages. */
  err(text: string): void;
  /** Whether stderr is a terminal (then progress redraws one line). */
  interactive: boolean;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
};

/** A data or model problem (exit 1): the message names the file and the problem. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}
