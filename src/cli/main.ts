import { processIo } from './cli-io';
import { runCli } from './run-cli';

// The CLI's entry point: everything testable lives in run-cli.ts.
process.exitCode = await runCli(process.argv.slice(2), processIo);
