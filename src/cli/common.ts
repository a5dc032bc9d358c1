import { availableParallelism } from 'node:os';
import { UsageError, numberOption, stringOption, type ParsedArgs } from './args';
import { CliFailure } from './cli-io';
import type { Dataset } from '../engine/training/dataset';
import type { Kernels } from '../engine/kernels/kernels';
import { KERNEL_CHOICES, selectKernels, type KernelChoice } from '../engine/kernels/select';
import { smallestSplitBatch } from '../engine/kernels/wasm/wasm-kernels';
import { defaultMnistDir, loadDatasetFolder } from '../node/dataset-folder';
import { spawnNodeHelper } from '../node/kernel-threads';

/** The dataset named by --data, or the built-in MNIST; a bad folder is a data failure (exit 1). */
export function loadData(options: ParsedArgs['options']): Dataset {
  const dir = stringOption(options, 'data');
  try {
    return dir === undefined ? loadDatasetFolder(defaultMnistDir(), { name: 'MNIST' }) : loadDatasetFolder(dir);
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  }
}

/** The --kernel choice (auto by default); anything else is a usage error. */
export function kernelChoiceFromArgs(options: ParsedArgs['options']): KernelChoice {
  const choice = stringOption(options, 'kernel') ?? 'auto';
  if (!(KERNEL_CHOICES as readonly string[]).includes(choice)) {
    throw new UsageError(`--kernel must be one of ${KERNEL_CHOICES.join(', ')}; got "${choice}".`);
  }
  return choice as KernelChoice;
}

/**
 * The kernels chosen by --kernel (auto by default: WebAssembly SIMD where supported), with a
 * helper thread when `threads` is 2.
 */
export async function kernelsFromArgs(options: ParsedArgs['options'], threads: 1 | 2 = 1): Promise<Kernels> {
  const choice = kernelChoiceFromArgs(options);
  try {
    return await selectKernels(choice, threads === 2 ? spawnNodeHelper : undefined);
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The threads a single training may use: --threads 1 or 2; by default 2 on a machine with two
 * cores or more. Either way 1 for a batch the kernels would not split (a helper would idle).
 */
export function threadsFromArgs(options: ParsedArgs['options'], batchSize: number): 1 | 2 {
  const given = numberOption(options, 'threads');
  if (given !== undefined && given !== 1 && given !== 2) throw new UsageError(`--threads takes 1 or 2; got ${given}.`);
  const wanted = given ?? (availableParallelism() >= 2 ? 2 : 1);
  return wanted === 2 && batchSize >= smallestSplitBatch ? 2 : 1;
}
