import type { RunConfig } from '../../engine/training/run-config';
import type { DatasetInfo } from '../../shared/lab-api';

/** The network's ends must fit the data: one input per pixel, one output per class. */
export function shapeMismatch(config: RunConfig, dataset: DatasetInfo): string | null {
  const pixels = dataset.rows * dataset.cols;
  const input = config.layers[0];
  const output = config.layers[config.layers.length - 1];
  if (input !== pixels) {
    return `The input layer has ${input} units, but ${dataset.name} images have ${dataset.rows}×${dataset.cols} = ${pixels} pixels; make the first width ${pixels}.`;
  }
  if (output !== dataset.classes) {
    return `The output layer has ${output} units, but ${dataset.name} has ${dataset.classes} classes; make the last width ${dataset.classes}.`;
  }
  return null;
}
