/**
 * A worker thread that reads large study files for the study list and for opening: each file's
 * bytes go to the thread (handed over, not copied), which decodes and parses them with
 * `parseStudyText` and sends back only the list's summary, or the study with its curves thinned to
 * the saved-study budget (`thinStudyCurves`), a run at a time. The main process's event loop never
 * parses a large study (64 MiB of JSON took about 4 s here), what it receives to open one is no
 * larger than what a save of it would write, and it takes that in one turn per run. Small files are parsed in place, where a thread's start would
 * cost more.
 *
 * The thread is started from the function's source text, as the kernels' helper is
 * (kernel-threads.ts), so it runs the same under tsx, vitest and the bundle, with no file to find.
 * It starts with the first large file, serves every later one, and ends after a few idle seconds;
 * it never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { STUDY_CURVE_LIMITS, thinStudyCurves, type StudyCurveLimits } from '../shared/study-curve-limit';
import type { StudyRunData } from '../shared/study-api';
import { parseStudyText, type ParsedStudyFile } from './study-file';

/** What the list says of one file: its summary, or why it cannot be opened. */
export type StudySummaryLine =
  | { status: 'ok'; name: string; createdAt: string; runCount: number; finished: boolean }
  | { status: 'error'; message: string };

/** Files up to this many bytes are parsed on the calling thread (a few milliseconds). */
export const PARSE_IN_PLACE_MAX_BYTES = 1024 * 1024;
/** An idle thread ends after this long. */
const IDLE_MS = 5000;

export interface StudyFileReader {
  /** The summary of the study file `<id>.json` whose bytes are given; a large file's bytes are handed over. */
  summarise(id: string, bytes: Uint8Array): Promise<StudySummaryLine>;
  /** The study in the file `<id>.json`, its curves thinned to the saved-study budget, or why it cannot be opened. */
  open(id: string, bytes: Uint8Array): Promise<ParsedStudyFile>;
}

type Want = 'summary' | 'study';
type Answer = StudySummaryLine | ParsedStudyFile;
/** From the thread: a file's answer (a study without its runs, which follow one a message), or the next run. */
type FromThread = { answer: Answer; runsToFollow: number } | { run: StudyRunData };

/** What a file's answer is: its list line, or the study with its curves thinned. */
function answerOf(want: Want, parse: typeof parseStudyText, thin: typeof thinStudyCurves, id: string, bytes: Uint8Array, format: number, limits: StudyCurveLimits): Answer {
  const parsed = parse(id, new TextDecoder().decode(bytes), format);
  if (parsed.status === 'error') return parsed;
  if (want === 'study') return { status: 'ok', study: { ...parsed.study, runs: thin(parsed.study.runs, limits) } };
  const { name, createdAt, runs, finished } = parsed.study;
  // A damaged file may hold anything there: only true is finished.
  return { status: 'ok', name, createdAt, runCount: runs.length, finished: finished === true };
}

/**
 * The thread's side. A study's runs are sent one a message, each when main asks for the next:
 * main then takes them in one turn of its event loop each, instead of receiving (deserialising)
 * tens of thousands of curve points at once.
 */
function serveAnswers(answer: typeof answerOf, parse: typeof parseStudyText, thin: typeof thinStudyCurves, format: number, limits: StudyCurveLimits): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  let runs: unknown[] = [];
  parentPort?.on('message', (message: { want: Want; id: string; bytes: Uint8Array } | 'next run') => {
    if (message === 'next run') {
      parentPort.postMessage({ run: runs.shift() });
      return;
    }
    const found = answer(message.want, parse, thin, message.id, message.bytes, format, limits);
    runs = 'study' in found ? found.study.runs : [];
    parentPort.postMessage({ answer: 'study' in found ? { ...found, study: { ...found.study, runs: [] } } : found, runsToFollow: runs.length });
  });
}

interface Request {
  want: Want;
  id: string;
  bytes: Uint8Array;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
  answer?: Answer;
  runsToFollow: number;
  runs: StudyRunData[];
}

/** Reads study files of the given format (the newest this version reads), the large ones on the thread. */
export function createStudyFileReader(format: number, limits: StudyCurveLimits = STUDY_CURVE_LIMITS): StudyFileReader {
  let worker: Worker | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  // One file on the thread at a time, the first of these; the rest wait their turn.
  const waiting: Request[] = [];

  const failAll = (error: Error): void => {
    for (const pending of waiting.splice(0)) pending.reject(error);
  };
  const send = (thread: Worker, request: Request): void => {
    const { want, id, bytes } = request;
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    thread.postMessage({ want, id, bytes: own }, [own.buffer as ArrayBuffer]);
  };
  const receive = (thread: Worker, message: FromThread): void => {
    const current = waiting[0];
    if (current === undefined) return;
    if ('run' in message) current.runs.push(message.run);
    else {
      current.answer = message.answer;
      current.runsToFollow = message.runsToFollow;
    }
    if (current.runs.length < current.runsToFollow) {
      // The next run after a turn of the event loop: timers and IPC go first.
      setImmediate(() => thread.postMessage('next run'));
      return;
    }
    waiting.shift();
    const { answer } = current;
    if (answer !== undefined && 'study' in answer) current.resolve({ ...answer, study: { ...answer.study, runs: current.runs } });
    else if (answer !== undefined) current.resolve(answer);
    const next = waiting[0];
    if (next !== undefined) send(thread, next);
    else idle = setTimeout(stop, IDLE_MS).unref();
  };
  const start = (): Worker => {
    // esbuild's keepNames (tsx runs the sources with it) wraps functions in a `__name` helper the thread lacks.
    const functions = [serveAnswers, answerOf, parseStudyText, thinStudyCurves].map((f) => `(${f.toString()})`);
    const source = `var __name = (target) => target;\n${functions[0]}(${functions.slice(1).join(', ')}, ${JSON.stringify(format)}, ${JSON.stringify(limits)});`;
    const started = new Worker(source, { eval: true });
    started.on('message', (message: FromThread) => receive(started, message));
    // A thread that fails fails what it was given; an 'error' nobody listens to would end main.
    started.on('error', failAll);
    started.on('exit', () => {
      if (worker === started) worker = null;
      failAll(new Error('The thread reading study files ended.'));
    });
    started.unref();
    return started;
  };
  const stop = (): void => {
    const ending = worker;
    worker = null;
    void ending?.terminate();
  };

  const ask = (want: Want, id: string, bytes: Uint8Array): Promise<Answer> => {
    if (bytes.length <= PARSE_IN_PLACE_MAX_BYTES) return Promise.resolve(answerOf(want, parseStudyText, thinStudyCurves, id, bytes, format, limits));
    clearTimeout(idle);
    worker ??= start();
    const thread = worker;
    return new Promise((resolve, reject) => {
      waiting.push({ want, id, bytes, resolve, reject, runsToFollow: 0, runs: [] });
      if (waiting.length === 1) send(thread, waiting[0]);
    });
  };

  return {
    summarise: (id, bytes) => ask('summary', id, bytes) as Promise<StudySummaryLine>,
    open: (id, bytes) => ask('study', id, bytes) as Promise<ParsedStudyFile>,
  };
}
