import type { AdamStep } from '../kernels';
import type { KernelExports } from './loader';
import { HelperOp, type KernelHelper } from './threads';

/*
 * The optimiser updates on the WebAssembly kernels (simd.ts checks the arrays, then
 * calls these), in place over `length` floats at the given pointers. With a helper thread, the
 * helper takes the first half (in whole f32x4s) and this thread the rest: each element is updated
 * on its own, so the numbers are the same however the floats are shared out.
 */

/** Where the helper's share ends: half of the floats, in whole f32x4s; none without a helper. */
function helperShare(helper: KernelHelper | null, length: number): number {
  return helper ? (length >> 3) << 2 : 0;
}

export function sgdInWasm(exports: KernelExports, helper: KernelHelper | null, w: number, g: number, length: number, rate: number, decay: number): void {
  const half = helperShare(helper, length);
  const at = 4 * half;
  helper?.start(HelperOp.Sgd, w, g, half, 0, 0, 0, 0, 0, 0, rate, decay);
  exports.sgdUpdate(w + at, g + at, length - half, rate, decay);
  helper?.join();
}

export function momentumInWasm(exports: KernelExports, helper: KernelHelper | null, w: number, g: number, velocity: number, length: number, rate: number, mu: number, decay: number): void {
  const half = helperShare(helper, length);
  const at = 4 * half;
  helper?.start(HelperOp.Momentum, w, g, velocity, half, 0, 0, 0, 0, 0, rate, mu, decay);
  exports.momentumUpdate(w + at, g + at, velocity + at, length - half, rate, mu, decay);
  helper?.join();
}

export function adamInWasm(exports: KernelExports, helper: KernelHelper | null, w: number, g: number, m: number, v: number, length: number, step: AdamStep): void {
  const half = helperShare(helper, length);
  const at = 4 * half;
  const { stepSize, epsHat, beta1, beta2, weightDecay } = step;
  helper?.start(HelperOp.Adam, w, g, m, v, half, 0, 0, 0, 0, stepSize, epsHat, beta1, beta2, weightDecay);
  exports.adamUpdate(w + at, g + at, m + at, v + at, length - half, stepSize, epsHat, beta1, beta2, weightDecay);
  helper?.join();
}
