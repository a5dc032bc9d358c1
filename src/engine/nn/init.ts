import type { Rng } from './rng';

/** The ways weights can start (biases always start at zero). */
export const INITIALISERS = ['normal-0.01', 'uniform-course', 'he', 'xavier'] as const;
export type InitName = (typeof INITIALISERS)[number];

/**
 * How a dense layer's weights start. Biases always start at zero. Each rule draws W [in × out] in
 * row-major order from the run's seeded generator, so the same seed gives the same network.
 *
 * - `normal-0.01`: W ~ N(0, 1)·0.01 — the course notebook. Fine for shallow nets; in deeper ones
 *   the signal shrinks ~100× per layer.
 * - `uniform-course`: W ~ U(−1/√n₀, 1/√n₀) with n₀ the *first* layer's fan-in, for every layer — the
 *   course blog (it meant each layer's own fan-in; kept as it was to reproduce its curves).
 * - `he`: W ~ N(0, 2/fan_in) — keeps ReLU activations' variance steady layer to layer.
 * - `xavier`: W ~ U(±√(6/(fan_in + fan_out))) — Glorot's rule, for sigmoid and tanh.
 */
export function initialiseWeights(
  weights: Float32Array,
  fanIn: number,
  fanOut: number,
  rule: InitName,
  rng: Rng,
  firstLayerFanIn: number,
): void {
  const n = fanIn * fanOut;
  switch (rule) {
    case 'normal-0.01':
      for (let i = 0; i < n; i++) weights[i] = rng.normal() * 0.01;
      return;
    case 'uniform-course': {
      const limit = 1 / Math.sqrt(firstLayerFanIn);
      for (let i = 0; i < n; i++) weights[i] = rng.uniformIn(-limit, limit);
      return;
    }
    case 'he': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < n; i++) weights[i] = rng.normal() * std;
      return;
    }
    case 'xavier': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) weights[i] = rng.uniformIn(-limit, limit);
      return;
    }
  }
}
