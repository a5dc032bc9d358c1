import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The project's root, where `npm run` runs its scripts. */
export const projectRoot = join(import.meta.dirname, '..', '..');

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's TypeScript entry points under tsx as its npm script does
 * (`npm run -s cli -- …` is `tsx src/cli/main.ts …`), and collects its exit code and output.
 */
export function runScript(script: string, ...args: string[]): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: projectRoot, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The real CLI, as a user runs it. */
export const cli = (...args: string[]): Promise<ScriptResult> => runScript('src/cli/main.ts', ...args);

/** stdout of a `--json` run: one object a line. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}
