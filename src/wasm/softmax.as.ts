/**
 * Softmax cross-entropy over a batch, for kernels.as.ts: the same computation, step for step and in
 * float64, as src/engine/nn/softmax-cross-entropy.ts (which documents it), except that e^x comes from
 * exp2Lanes below instead of Math.exp. In V8, Math.exp is a call into C++ (10–15 ns); softmax takes
 * one per logit, and at batch 128 that was a tenth of a training step, all of it on one thread.
 */

/** 2^(j/128) for j < 128, filled once when the module starts. */
const steps = 128;
const fractionPowers = memory.data(steps * 8, 16);
for (let j = 0; j < steps; j++) store<f64>(fractionPowers + (<usize>j << 3), Math.pow(2, <f64>j / steps));

const stepsPerLn2: f64 = steps / Math.LN2;
/** ln2/128 as high + low: the high part has 32 significant bits, so k·high is exact for |k| < 2²¹. */
const lnStepHigh: f64 = 6.93147180369123816490e-1 / steps;
const lnStepLow: f64 = 1.90821492927058770002e-10 / steps;

/**
 * e^x on two lanes for x ≤ 709, within 2 ulp of Math.exp (measured on 2 million arguments in
 * [−708, 709] with this method written in TypeScript; test/engine/softmax-kernel.test.ts checks the
 * losses and gradients it gives): x = k·ln2/128 + r with |r| ≤ ln2/256, so e^x =
 * 2^⌊k/128⌋ · 2^((k mod 128)/128) · e^r, the first factor put together from its exponent bits,
 * the second from a table, e^r its Taylor series to r⁵ (the next term is below 10⁻¹⁸). Below −708
 * (e^x < 10⁻³⁰⁷, 0 once a probability is rounded to float32) and at −∞ it gives +0; NaN stays NaN.
 */
@inline
function expLanes(x: v128): v128 {
  const tiny = f64x2.lt(x, f64x2.splat(-708));
  const clamped = v128.bitselect(f64x2.splat(-708), x, tiny);
  const k = f64x2.nearest(f64x2.mul(clamped, f64x2.splat(stepsPerLn2)));
  const r = f64x2.sub(f64x2.sub(clamped, f64x2.mul(k, f64x2.splat(lnStepHigh))), f64x2.mul(k, f64x2.splat(lnStepLow)));
  let series = f64x2.add(f64x2.splat(1.0 / 24), f64x2.mul(r, f64x2.splat(1.0 / 120)));
  series = f64x2.add(f64x2.splat(1.0 / 6), f64x2.mul(r, series));
  series = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, series));
  series = f64x2.add(f64x2.splat(1), f64x2.mul(r, series));
  series = f64x2.add(f64x2.splat(1), f64x2.mul(r, series));
  // k fits an i32 (|k| < 2¹⁸; a NaN lane gives 0 and stays NaN through the series).
  const ks = i32x4.trunc_sat_f64x2_s_zero(k);
  const fractions = v128.and(ks, i32x4.splat(steps - 1));
  let fraction = f64x2.splat(load<f64>(fractionPowers + (<usize>i32x4.extract_lane(fractions, 0) << 3)));
  fraction = f64x2.replace_lane(fraction, 1, load<f64>(fractionPowers + (<usize>i32x4.extract_lane(fractions, 1) << 3)));
  const whole = i64x2.shl(i64x2.extend_low_i32x4_s(i32x4.add(i32x4.shr_s(ks, 7), i32x4.splat(1023))), 52);
  return v128.andnot(f64x2.mul(f64x2.mul(fraction, series), whole), tiny);
}

/** Bytes of scratch softmaxRows needs for `rows` rows: their shifted logits, then exponentials, in float64. */
export function softmaxScratch(rows: i32, classes: i32): usize {
  return ((<usize>(rows * classes) << 3) + 16 + 15) & ~15;
}

/**
 * Softmax cross-entropy of rows r0 ≤ r < r1 of logits[batch×classes] (float32) against labels (u32,
 * each < classes, as the host checked). Row r's loss, log Σ_j e^{z_j} − z_label, goes to the
 * float64 at results + 8r, and whether its largest logit (the first of equals) is at the label (1
 * or 0) to the i32 at results + 8·batch + 4r: the host adds them up in row order, so that two
 * threads, each with its rows, give bitwise what one gives. With a gradient pointer (not 0), stores
 * ∂L/∂logits = (p − onehot)/batch there, rounded to float32.
 */
export function softmaxRows(logits: usize, labels: usize, batch: i32, classes: i32, gradient: usize, r0: i32, r1: i32, results: usize, scratch: usize): void {
  // Each row's largest logit, and every logit minus it (≤ 0, so nothing overflows).
  for (let r = r0; r < r1; r++) {
    const row = logits + (<usize>(r * classes) << 2);
    let max = <f64>load<f32>(row);
    for (let j = 1; j < classes; j++) {
      const z = <f64>load<f32>(row + (<usize>j << 2));
      if (z > max) max = z;
    }
    const shifted = scratch + (<usize>((r - r0) * classes) << 3);
    for (let j = 0; j < classes; j++) store<f64>(shifted + (<usize>j << 3), <f64>load<f32>(row + (<usize>j << 2)) - max);
  }
  // All the exponentials in one pass, two at a time (the scratch has room for a last odd one).
  const total = (r1 - r0) * classes;
  for (let i = 0; i < total; i += 2) {
    const at = scratch + (<usize>i << 3);
    v128.store(at, expLanes(v128.load(at)));
  }
  const inverse = 1 / <f64>batch;
  const rights = results + (<usize>batch << 3);
  for (let r = r0; r < r1; r++) {
    const row = logits + (<usize>(r * classes) << 2);
    const exps = scratch + (<usize>((r - r0) * classes) << 3);
    const answer = <i32>load<u32>(labels + (<usize>r << 2));
    let max = <f64>load<f32>(row);
    let argmax = 0;
    for (let j = 1; j < classes; j++) {
      const z = <f64>load<f32>(row + (<usize>j << 2));
      if (z > max) {
        max = z;
        argmax = j;
      }
    }
    let sum: f64 = 0;
    for (let j = 0; j < classes; j++) sum += load<f64>(exps + (<usize>j << 3));
    store<f64>(results + (<usize>r << 3), max + Math.log(sum) - <f64>load<f32>(row + (<usize>answer << 2)));
    store<i32>(rights + (<usize>r << 2), i32(argmax == answer));
    if (gradient == 0) continue;
    const out = gradient + (<usize>(r * classes) << 2);
    for (let j = 0; j < classes; j++) {
      const p = load<f64>(exps + (<usize>j << 3)) / sum;
      store<f32>(out + (<usize>j << 2), <f32>((p - (j == answer ? 1 : 0)) * inverse));
    }
  }
}
