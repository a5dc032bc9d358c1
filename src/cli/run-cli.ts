import { UsageError, parseArgs } from './args';
import { CliFailure, type CliIo } from './cli-io';
import { evalCommand } from './eval-command';
import { EXPORT_VALUED, IMPORT_VALUED, exportCommand, importCommand } from './onnx-commands';
import { lessonCommand } from './lesson-command';
import { predictCommand } from './predict-command';
import { takeImages } from './predict-images';
import { sweepCommand } from './sweep-command';
import { TRAIN_FLAGS, TRAIN_VALUED } from './run-config-from-args';
import { trainCommand } from './train-command';
import { commandUsage } from './command-usage';
import { ShapeError } from '../engine/nn/layer';

export const USAGE = `MLP Lab — train a multilayer perceptron on MNIST from the command line.

Usage: npm run -s cli -- <command> [options]

Commands:
  train   Train a network and optionally save it.
  eval    Evaluate a saved model on a dataset's test split.
  predict Show a saved model's probabilities for a test image or for pictures of digits.
  sweep   Train a grid of variations of one run, several at once, and compare them.
  export  Write a saved model as an ONNX file (for Netron, ONNX Runtime, a web page…).
  import  Turn an ONNX MLP (dense layers, ReLU/sigmoid/tanh) into an MLP Lab model file.
  lesson  Check a lesson file (.mlplesson) as the app would open it: lesson check FILE.
  help    Show this text.

train options:
  --data DIR            IDX dataset folder, raw or .gz (default: the built-in MNIST)
  --preset NAME         default | fast | notebook | blog (other options override it)
  --layers 784,128,64,10
  --activation relu|sigmoid|tanh
  --init normal-0.01|uniform-course|he|xavier   (default: he for relu, xavier otherwise)
  --optimizer sgd|momentum|adam   --lr 0.001   --momentum 0.9   --weight-decay 0
  --batch 64   --epochs 5   --shuffle | --no-shuffle   --seed 1
  --kernel auto|wasm|js   arithmetic to use (default auto: WebAssembly SIMD where supported)
  --threads 1|2         2 lets the WebAssembly kernels split batches of 32 or more over two
                        cores (default: 2 on a machine with two cores or more)
  --out FILE            save the trained model (written atomically)
  --json                one JSON object per line on stdout

eval options:
  --model FILE   --data DIR   --kernel auto|wasm|js   --json

predict options:
  --model FILE   --index N (a test image)   --data DIR   --json
  --image FILE   a PNG or JPEG of a digit (any size, colour or grey, dark on light or light on
                 dark), made into a 28×28 input as the draw pad does; repeat it, or give a folder

export options:
  --model FILE   --onnx OUT.onnx (written atomically; opset 13, input "image" float32 [N, 784]
                 in [0, 1], outputs "logits" and "probabilities")   --json

import options:
  --onnx FILE    --out MODEL.mlpmodel   --name NAME   --json

lesson options:
  lesson check FILE   says whether the lesson can be opened, or in one line why not   --json

sweep options: the train options (but --out) set the base run, plus
  --vary KEY=V1,V2,...  vary one setting (repeat for a grid of every combination); KEY is
                        batch, lr, activation, init, optimizer or hidden (e.g. hidden=128x64,256)
  --preset blog-study   the course blog's study: batch 16/32/64/128, lr 0.1/0.01/0.001/0.0001,
                        relu/sigmoid/tanh, one at a time, on the blog preset
  --parallel N          runs at once, one engine process each (default: the number of cores)
  --target 0.9          the test accuracy to time each run to
  --csv FILE            write the results table as CSV (atomically)
  --json                one JSON line per finished run, then a summary line

Exit codes: 0 done, 1 data, model or training problem, 2 usage error, 130 stopped with Ctrl-C.`;

const EVAL_VALUED = ['model', 'data', 'kernel'];
const EVAL_FLAGS = ['json'];
const PREDICT_VALUED = ['model', 'index', 'data', 'kernel'];

/** Runs one CLI invocation; returns the exit code. Never lets a stack trace reach the user. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = argv[0];
    if (command !== undefined && argv.slice(1).some((word) => word === '--help' || word === '-h')) {
      io.out(commandUsage(USAGE, command));
      return 0;
    }
    switch (command) {
      case 'train':
        return await trainCommand(parseArgs(argv, new Set(TRAIN_VALUED), new Set(TRAIN_FLAGS)).options, io);
      case 'eval':
        return await evalCommand(parseArgs(argv, new Set(EVAL_VALUED), new Set(EVAL_FLAGS)).options, io);
      case 'predict': {
        const { images, rest } = takeImages(argv);
        return await predictCommand(parseArgs(rest, new Set(PREDICT_VALUED), new Set(EVAL_FLAGS)).options, io, images);
      }
      case 'sweep':
        return await sweepCommand(argv, io);
      case 'export':
        return exportCommand(parseArgs(argv, new Set(EXPORT_VALUED), new Set(EVAL_FLAGS)).options, io);
      case 'import':
        return importCommand(parseArgs(argv, new Set(IMPORT_VALUED), new Set(EVAL_FLAGS)).options, io);
      case 'lesson':
        return lessonCommand(argv, io);
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      case undefined:
        throw new UsageError('No command given.');
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ShapeError) {
      io.err(`error: ${error.message}\nRun "npm run -s cli -- help" for usage.\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`error: ${message}\n`);
    if (!(error instanceof CliFailure) && process.env.MLP_LAB_DEBUG && error instanceof Error) io.err(`${error.stack}\n`);
    return 1;
  }
}
