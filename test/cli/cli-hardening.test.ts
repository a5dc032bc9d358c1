/**
 * The CLI as scripts and clumsy hands use it: a reader that closes the pipe early (`| head -1`)
 * ends the command quietly with exit 0; a flag given twice or an unknown --vary key (built-in
 * property names included) is a usage error; a bad --out is found before training; with --json the
 * `done` line is always last, a failed save included, and stdout holds nothing but JSON; every
 * error is one line; each command's --help shows its own usage.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { cli, jsonLines, projectRoot } from '../helpers/run-script';

const dir = mkdtempSync(join(tmpdir(), 'mlp-lab-cli-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['--layers', '784,10', '--batch', '128'];

/** The CLI in-process (what main.ts runs), for cases that end before any training. */
async function inProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (line) => (stdout += `${line}\n`), err: (text) => (stderr += text), interactive: false });
  return { code, stdout, stderr };
}

/** Runs the CLI with its stdout piped into `reader` (a shell command); returns the CLI's own exit code, stdout after the reader, and stderr. */
function piped(args: string[], reader: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const errFile = join(dir, `err-${Math.random().toString(36).slice(2)}.txt`);
  const command = `"${process.execPath}" --import tsx src/cli/main.ts ${args.join(' ')} 2>"${errFile}" | ${reader}; echo "exit:\${PIPESTATUS[0]}"; cat "${errFile}" >&2`;
  return new Promise((resolve) => {
    execFile('bash', ['-c', command], { cwd: projectRoot }, (_error, stdout, stderr) => {
      const match = /exit:(\d+)\n$/.exec(stdout);
      resolve({ code: Number(match?.[1] ?? -1), stdout: stdout.replace(/exit:\d+\n$/, ''), stderr });
    });
  });
}

describe('a closed pipe', () => {
  it('train --json | head -1: the first line, then a quiet exit 0 (no EPIPE trace)', async () => {
    const r = await piped(['train', ...TINY, '--epochs', '2', '--json'], 'head -1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([expect.objectContaining({ type: 'epoch', epoch: 1 })]);
  });

  it('eval, predict and sweep into a reader that reads nothing: exit 0, nothing on stderr', async () => {
    const model = join(dir, 'pipe.mlpmodel');
    expect((await cli('train', ...TINY, '--epochs', '1', '--out', model)).code).toBe(0);
    const results = await Promise.all([
      piped(['eval', '--model', model, '--json'], 'true'),
      piped(['predict', '--model', model, '--index', '3', '--json'], 'true'),
      piped(['sweep', ...TINY, '--epochs', '1', '--vary', 'lr=0.01,0.001', '--parallel', '2', '--json'], 'true'),
    ]);
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('usage errors', () => {
  it('a flag given twice is exit 2 naming both, never "the last one wins"', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--lr', '0.1', '--lr', '0.01'], /--lr and --lr both set --lr; give it once/],
      [['train', '--shuffle', '--no-shuffle'], /--shuffle and --no-shuffle both set --shuffle; give it once/],
      [['eval', '--model', 'a', '--model=b'], /--model and --model both set --model/],
      [['sweep', '--epochs', '1', '--epochs', '2', '--vary', 'lr=0.1,0.01'], /both set --epochs/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^error: [^\n]+\nRun "npm run -s cli -- help" for usage\.\n$/);
    }
  });

  it('an unknown --vary key is exit 2, built-in property names included', async () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'epochs']) {
      const r = await inProcess('sweep', '--vary', `${key}=1`);
      expect(r.code, key).toBe(2);
      expect(r.stderr).toContain(`cannot vary "${key}"; choose from batch, lr, activation, init, optimizer, hidden`);
      expect(r.stderr).not.toMatch(/Cannot read properties| at /);
    }
  });

  it('a sweep over more runs than a study may have is refused before anything starts', async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');
    const r = await inProcess('sweep', '--vary', `batch=${values(20)}`, '--vary', `hidden=${values(20)}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/This study would train 400 runs; a study may have at most 300/);
  });
});

describe('--out, the done line and one-line errors', () => {
  it('a bad --out is refused before the dataset is read or anything trained', async () => {
    for (const [out, message] of [
      [join(dir, 'no-such-folder', 'm.mlpmodel'), /there is no folder/],
      [dir, /it is a folder; give a file name/],
    ] as const) {
      const started = performance.now();
      const r = await inProcess('train', ...TINY, '--epochs', '5', '--json', '--out', out);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      // Refused before MNIST is read (half a second) or an epoch trained.
      expect(performance.now() - started).toBeLessThan(200);
    }
  });

  it('with --json a failed save still ends with the done line, carrying the error; stdout is only JSON', async () => {
    const out = join(dir, 'taken.mlpmodel');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', ...TINY, '--epochs', '2', '--json', '--out', out], { cwd: projectRoot });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // After the first epoch, a folder takes the model's name: the save at the end must fail.
        if (stdout.includes('"epoch":1') && readdirSync(dir).every((f) => f !== 'taken.mlpmodel')) mkdirSync(out);
      });
      child.on('close', (c) => resolve(c ?? -1));
    });
    expect(code).toBe(1);
    const lines = jsonLines(stdout);
    expect(lines.map((l) => l.type)).toEqual(['epoch', 'epoch', 'done']);
    expect(lines[2]).toEqual({ type: 'done', status: 'completed', testAccuracy: lines[1].testAccuracy, model: null, error: expect.stringMatching(/^Could not save the model to .*taken\.mlpmodel: /) });
    expect(stderr).toMatch(/^error: Could not save the model to [^\n]+\n$/);
    // Nothing half-written beside it.
    expect(readdirSync(dir).filter((f) => f.includes('taken'))).toEqual(['taken.mlpmodel']);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an empty dataset folder is one line', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await inProcess('train', '--data', empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: The folder .*empty is missing 4 of the 4 dataset files: [^\n]+\n$/);
  });
});

describe('--help', () => {
  it('each command prints its own usage, exit 0', async () => {
    const [train, evaluate, predict, sweep] = await Promise.all(['train', 'eval', 'predict', 'sweep'].map((command) => inProcess(command, '--help')));
    for (const [r, command] of [[train, 'train'], [evaluate, 'eval'], [predict, 'predict'], [sweep, 'sweep']] as const) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: npm run -s cli -- ${command} \\[options\\]\\n`));
      expect(r.stdout).toContain(`${command} options`);
    }
    expect(evaluate.stdout).not.toContain('--vary');
    expect(train.stdout).not.toContain('--vary');
    expect(sweep.stdout).toContain('--vary KEY=V1,V2');
    // sweep's options build on train's, so its help shows those too.
    expect(sweep.stdout).toContain('--layers 784,128,64,10');
  });
});
