/**
 * Work done in slices: a long computation over a large file (a checksum over hundreds of MiB, the
 * decoding of as many weights) written as a generator that yields after each slice of about a
 * millisecond. The CLI runs it to the end at once; a host with an event loop to keep responsive
 * (the app's main process) gives the loop a turn between slices. One code path serves both.
 */

/** A computation giving a `T`, paused at every `yield`. */
export type Sliced<T> = Generator<void, T, void>;

/** Bytes (or numbers) handled between two pauses: a slice costs about a millisecond. */
export const SLICE_LENGTH = 64 * 1024;

/** Runs a sliced computation to its end without pausing. */
export function runToEnd<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
