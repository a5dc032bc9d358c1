import { UsageError, stringOption, type ParsedArgs } from './args';
import { CliFailure } from './cli-io';
import type { Dataset } from '../engine/dataset';
import type { Kernels } from '../engine/kernels';
import { KERNEL_CHOICES, selectKernels, type KernelChoice } from '../engine/kernels-select';
import { defaultMnistDir, loadDatasetFolder } from '../node/dataset-folder';

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

/** The kernels chosen by --kernel (auto by default: WebAssembly SIMD where supported). */
export async function kernelsFromArgs(options: ParsedArgs['options']): Promise<Kernels> {
  const choice = kernelChoiceFromArgs(options);
  try {
    return await selectKernels(choice);
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  }
}
