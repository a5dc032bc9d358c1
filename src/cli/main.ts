import { processIo } from './cli-io';
import { exitQuietlyOnClosedPipe } from './closed-pipe';
import { runCli } from './run-cli';

// `… --json | head -1` closes our stdout after one line: the reader has what it wanted.
exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);

// The CLI's entry point: everything testable lives in run-cli.ts.
process.exitCode = await runCli(process.argv.slice(2), processIo);
