/**
 * A reader that stops reading (`mlp-lab train --json | head -1`) closes the pipe; the next write
 * fails with EPIPE. That is the reader's choice, not an error of ours: the command stops at once,
 * quietly, with exit code 0, as `yes | head -1` does, instead of dying with a stack trace.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') exit(0);
    else throw error;
  });
}
