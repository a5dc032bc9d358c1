/**
 * How the hidden units of a trained network behave on the first test images: how many ReLUs are
 * dead and how many sigmoid or tanh outputs are saturated (see histogram.ts), and how much their
 * outputs change from image to image. The run diagnostics read this after a run; the CLI measures it itself.
 */
import type { ImageSet } from '../training/dataset';
import { fillBatch } from '../training/batching';
import type { Network } from '../nn/network';
import type { ActivationName } from '../nn/activation';
import { deadFraction, saturatedFraction } from './histogram';
import type { HiddenLayerHealth } from './run-diagnostics';

/** Test images the units are checked on: the same batch the Weights screen's histograms use. */
export const UNIT_HEALTH_IMAGES = 256;

export function measureUnitHealth(network: Network, activation: ActivationName, test: ImageSet): HiddenLayerHealth[] {
  const size = Math.min(UNIT_HEALTH_IMAGES, test.count);
  if (size === 0) return [];
  const x = network.kernels.createBuffer(size * network.inputSize);
  const order = Uint32Array.from({ length: size }, (_, i) => i);
  fillBatch(test, order, 0, size, x, new Uint8Array(size));
  return network.hiddenActivations(x, size).map((outputs, i): HiddenLayerHealth => {
    const units = outputs.length / size;
    return {
      layer: i + 1,
      units,
      deadFraction: deadFraction(outputs, units, size),
      saturatedFraction: activation === 'relu' ? null : saturatedFraction(outputs, activation),
      spread: meanUnitSpread(outputs, units, size),
    };
  });
}

/**
 * The standard deviation of each unit's output over the batch (outputs is batch × units, sample after
 * sample), averaged over the units: near 0 when every unit says the same for every image.
 */
export function meanUnitSpread(outputs: Float32Array, units: number, batch: number): number {
  let total = 0;
  for (let j = 0; j < units; j++) {
    let mean = 0;
    for (let s = 0; s < batch; s++) mean += outputs[s * units + j];
    mean /= batch;
    let squares = 0;
    for (let s = 0; s < batch; s++) squares += (outputs[s * units + j] - mean) ** 2;
    total += Math.sqrt(squares / batch);
  }
  return total / units;
}
