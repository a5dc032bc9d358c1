/**
 * A worker thread that turns large study files into the study list's lines: each file's bytes go
 * to the thread (handed over, not copied), which decodes and parses them with `parseStudyText` and
 * sends back only the summary. The main process's event loop never parses a large study to list it
 * (64 MiB of JSON took seconds here). Small files are parsed in place, where a thread's start would
 * cost more.
 *
 * The thread is started from the function's source text, as the kernels' helper is
 * (kernel-threads.ts), so it runs the same under tsx, vitest and the bundle, with no file to find.
 * It starts with the first large file, serves every later one, and ends after a few idle seconds;
 * it never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { parseStudyText } from './study-file';

/** What the list says of one file: its summary, or why it cannot be opened. */
export type StudySummaryLine =
  | { status: 'ok'; name: string; createdAt: string; runCount: number; finished: boolean }
  | { status: 'error'; message: string };

/** Files up to this many bytes are parsed on the calling thread (a few milliseconds). */
export const PARSE_IN_PLACE_MAX_BYTES = 1024 * 1024;
/** An idle thread ends after this long. */
const IDLE_MS = 5000;

export interface StudySummariser {
  /** The summary of the study file `<id>.json` whose bytes are given; a large file's bytes are handed over. */
  summarise(id: string, bytes: Uint8Array): Promise<StudySummaryLine>;
}

/** The line of a parsed study file: only the summary crosses back from the thread. */
function lineOf(parse: typeof parseStudyText, id: string, bytes: Uint8Array, format: number): StudySummaryLine {
  const parsed = parse(id, new TextDecoder().decode(bytes), format);
  if (parsed.status === 'error') return parsed;
  const { name, createdAt, runs, finished } = parsed.study;
  // A damaged file may hold anything there: only true is finished.
  return { status: 'ok', name, createdAt, runCount: runs.length, finished: finished === true };
}

function serveLines(line: typeof lineOf, parse: typeof parseStudyText, format: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  parentPort?.on('message', ({ id, bytes }: { id: string; bytes: Uint8Array }) => parentPort.postMessage(line(parse, id, bytes, format)));
}

/** Summaries of study files of the given format (the newest this version reads). */
export function createStudySummariser(format: number): StudySummariser {
  let worker: Worker | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const waiting: { resolve: (line: StudySummaryLine) => void; reject: (error: Error) => void }[] = [];

  const failAll = (error: Error): void => {
    for (const pending of waiting.splice(0)) pending.reject(error);
  };
  const start = (): Worker => {
    // esbuild's keepNames (tsx runs the sources with it) wraps functions in a `__name` helper the thread lacks.
    const source = `var __name = (target) => target;\n(${serveLines.toString()})((${lineOf.toString()}), (${parseStudyText.toString()}), ${JSON.stringify(format)});`;
    const started = new Worker(source, { eval: true });
    started.on('message', (line: StudySummaryLine) => {
      waiting.shift()?.resolve(line);
      if (waiting.length === 0) idle = setTimeout(stop, IDLE_MS).unref();
    });
    // A thread that fails fails what it was given; an 'error' nobody listens to would end main.
    started.on('error', failAll);
    started.on('exit', () => {
      if (worker === started) worker = null;
      failAll(new Error('The thread reading the study list ended.'));
    });
    started.unref();
    return started;
  };
  const stop = (): void => {
    const ending = worker;
    worker = null;
    void ending?.terminate();
  };

  return {
    summarise(id, bytes) {
      if (bytes.length <= PARSE_IN_PLACE_MAX_BYTES) return Promise.resolve(lineOf(parseStudyText, id, bytes, format));
      clearTimeout(idle);
      worker ??= start();
      const thread = worker;
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
        thread.postMessage({ id, bytes: own }, [own.buffer as ArrayBuffer]);
      });
    },
  };
}
