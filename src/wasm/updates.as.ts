/**
 * The per-batch work around the products, for kernels.as.ts: optimiser updates in place, ReLU and
 * its derivative, and cutting a batch from image bytes. All but SGD and Adam give exactly the
 * numbers of their TypeScript twins (src/engine/nn/optimizers.ts, activation.ts, batching.ts):
 * momentum computes in float64 and rounds to float32 on every store, as the TypeScript does, two
 * lanes at a time in f64x2. Every operation used is correctly rounded, so nothing depends on the
 * machine.
 */

/** Four float32s at p as two f64x2: the low pair, then the high pair. */
@inline
function widenLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline
function widenHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded to float32 and put back together as one f32x4. */
@inline
function narrow(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** f64 values rounded to float32 and back, as a store to a Float32Array and a read give. */
@inline
function roundTrip(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** The gradient with L2 decay folded in (g + λ·w in float64), or g when λ is 0. */
@inline
function decayed(g: v128, w: v128, decay: f64): v128 {
  return decay != 0 ? f64x2.add(g, f64x2.mul(f64x2.splat(decay), w)) : g;
}

@inline
function decayedScalar(g: f64, w: f64, decay: f64): f64 {
  return decay != 0 ? g + decay * w : g;
}

/**
 * SGD: w ← w − η·(g + λw) over `length` floats, in float32 (unlike the rest of this file): η is
 * rounded to float32, then each product and difference is rounded (no fused multiply-add, so every
 * machine gives the same bits). It is 8× faster than float64, and the plain course network spends
 * a third of a small batch here. Against optimizers.ts, which rounds once from float64, a step
 * differs by at most an ulp or two of w. Without decay, four zero gradients are skipped: their
 * weights stay exactly as they are (w − η·0 = w), as for every pixel that is 0 in the whole batch.
 */
export function sgdUpdate(w: usize, g: usize, length: i32, rate: f64, decay: f64): void {
  const eta = <f32>rate;
  const lambda = <f32>decay;
  const etaV = f32x4.splat(eta);
  const lambdaV = f32x4.splat(lambda);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    let gv = v128.load(g + at);
    if (decay == 0 && !v128.any_true(gv)) continue;
    const wv = v128.load(w + at);
    if (decay != 0) gv = f32x4.add(gv, f32x4.mul(lambdaV, wv));
    v128.store(w + at, f32x4.sub(wv, f32x4.mul(etaV, gv)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const wi = load<f32>(w + at);
    let gi = load<f32>(g + at);
    if (decay != 0) gi = gi + lambda * wi;
    store<f32>(w + at, wi - eta * gi);
  }
}

/** Momentum: v ← μv + (g + λw); w ← w − η·v, over `length` floats. */
export function momentumUpdate(w: usize, g: usize, v: usize, length: i32, rate: f64, mu: f64, decay: f64): void {
  const eta = f64x2.splat(rate);
  const muv = f64x2.splat(mu);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    const wv = v128.load(w + at);
    const gv = v128.load(g + at);
    const vv = v128.load(v + at);
    const wl = widenLow(wv);
    const wh = widenHigh(wv);
    const vl = roundTrip(f64x2.add(f64x2.mul(muv, widenLow(vv)), decayed(widenLow(gv), wl, decay)));
    const vh = roundTrip(f64x2.add(f64x2.mul(muv, widenHigh(vv)), decayed(widenHigh(gv), wh, decay)));
    v128.store(v + at, narrow(vl, vh));
    v128.store(w + at, narrow(f64x2.sub(wl, f64x2.mul(eta, vl)), f64x2.sub(wh, f64x2.mul(eta, vh))));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const wi = <f64>load<f32>(w + at);
    const vi = <f32>(mu * <f64>load<f32>(v + at) + decayedScalar(<f64>load<f32>(g + at), wi, decay));
    store<f32>(v + at, vi);
    store<f32>(w + at, <f32>(wi - rate * <f64>vi));
  }
}

/**
 * Adam with the bias corrections folded into stepSize and epsHat (as optimizers.ts does):
 * m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − stepSize·m / (√v + epsHat), with g + λw for g.
 *
 * In float32, like SGD (and like PyTorch's Adam): the constants are rounded to float32, then each
 * product, sum, square root and quotient (no fused multiply-add, so every machine gives the same
 * bits). Its square root and division per weight made float64 Adam 40 % of a step of the default
 * preset, bound by the divider; in float32 that preset trains about 20 % faster. Against
 * optimizers.ts, which computes in float64, a step differs by a few ulp of w (tested).
 *
 * A moment that falls below float32's normal range (2⁻¹²⁶) is stored as 0. Those of pixels that are
 * rarely lit decay towards it, step after step (1.5 % of them after two epochs), and WebAssembly
 * has no flush-to-zero: a product with a subnormal costs a microcode assist, which made an earlier
 * float32 Adam slower than float64 in training. Flushed, a moment costs one assist on its way to 0.
 * What it drops moves w by under 10⁻³⁰. NaN is kept, so a diverging run still shows.
 */
export function adamUpdate(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  length: i32,
  stepSize: f64,
  epsHat: f64,
  beta1: f64,
  beta2: f64,
  decay: f64,
): void {
  const b1 = f32x4.splat(<f32>beta1);
  const b2 = f32x4.splat(<f32>beta2);
  const c1 = f32x4.splat(<f32>(1 - beta1));
  const c2 = f32x4.splat(<f32>(1 - beta2));
  const step = f32x4.splat(<f32>stepSize);
  const eps = f32x4.splat(<f32>epsHat);
  const lambda = f32x4.splat(<f32>decay);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    const wv = v128.load(w + at);
    let gv = v128.load(g + at);
    if (decay != 0) gv = f32x4.add(gv, f32x4.mul(lambda, wv));
    const mv = flushedMoment(f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(c1, gv)));
    // (1 − β₂)·g·g, left to right, as the TypeScript writes it.
    const vv = flushedMoment(f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(f32x4.mul(c2, gv), gv)));
    v128.store(m + at, mv);
    v128.store(v + at, vv);
    v128.store(w + at, f32x4.sub(wv, f32x4.div(f32x4.mul(step, mv), f32x4.add(f32x4.sqrt(vv), eps))));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const wi = load<f32>(w + at);
    let gi = load<f32>(g + at);
    if (decay != 0) gi = gi + <f32>decay * wi;
    const mi = flushedScalar(<f32>beta1 * load<f32>(m + at) + <f32>(1 - beta1) * gi);
    const vi = flushedScalar(<f32>beta2 * load<f32>(v + at) + <f32>(1 - beta2) * gi * gi);
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(w + at, wi - (<f32>stepSize * mi) / (Mathf.sqrt(vi) + <f32>epsHat));
  }
}

/** The smallest normal float32, 2⁻¹²⁶. */
const smallestNormal: f32 = 1.1754943508222875e-38;

/** Each lane as it is, or +0 where its magnitude is below 2⁻¹²⁶ (subnormal); NaN stays NaN. */
@inline
function flushedMoment(x: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), f32x4.splat(smallestNormal)));
}

@inline
function flushedScalar(x: f32): f32 {
  return Mathf.abs(x) < smallestNormal ? 0 : x;
}

/** ReLU: y = x where x > 0, else +0 (NaN and −0 give +0, as `x > 0 ? x : 0` does). */
export function relu(x: usize, y: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(x + at);
    v128.store(y + at, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const v = load<f32>(x + at);
    store<f32>(y + at, v > 0 ? v : 0);
  }
}

/** ReLU's derivative through its output: dx = dy where y > 0, else +0. */
export function reluBackward(y: usize, dy: usize, dx: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i << 2;
    v128.store(dx + at, v128.and(v128.load(dy + at), f32x4.gt(v128.load(y + at), zero)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    store<f32>(dx + at, load<f32>(y + at) > 0 ? load<f32>(dy + at) : 0);
  }
}

/**
 * Pixels: bytes to floats in [0, 1], byte / 255 correctly rounded, sixteen bytes at a time. That
 * is exactly the float32 that batching.ts stores (byte · (1/255) in float64, rounded), which a test
 * checks for all 256 bytes. The conversion is the signed one: bytes are never negative, and V8 has
 * no single instruction for the unsigned one (it took cutting a batch from 10.6 to 6.9 µs, with the
 * images in cache; byte · (1/255) in float64 here was slower than the division).
 */
export function unitFromBytes(src: usize, dst: usize, length: i32): void {
  const divisor = f32x4.splat(255);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= length; i += 16) {
    const bytes = v128.load(src + <usize>i);
    const to = dst + (<usize>i << 2);
    if (!v128.any_true(bytes)) {
      v128.store(to, zero);
      v128.store(to, zero, 16);
      v128.store(to, zero, 32);
      v128.store(to, zero, 48);
      continue;
    }
    const lo = i16x8.extend_low_i8x16_u(bytes);
    const hi = i16x8.extend_high_i8x16_u(bytes);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo)), divisor));
    v128.store(to, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo)), divisor), 16);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi)), divisor), 32);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi)), divisor), 48);
  }
  for (; i < length; i++) store<f32>(dst + (<usize>i << 2), <f32>load<u8>(src + <usize>i) / 255);
}

/** Where imagesToUnits leaves the sum of the bytes it touched, so that no compiler drops the reads. */
const touchedSink = memory.data(4, 4);

/**
 * A batch cut in one call: row r of dst is image order[r] of `images` (pixels bytes each, all in
 * this memory) as unitFromBytes gives it. Every cache line of every image is read once first: the
 * images lie scattered over tens of megabytes, and reads that do not wait on one another overlap
 * their misses (a batch of 64 from MNIST: half the time of going image by image).
 */
export function imagesToUnits(images: usize, order: usize, count: i32, pixels: i32, dst: usize): void {
  let touched: u32 = 0;
  for (let r = 0; r < count; r++) {
    const from = images + <usize>load<u32>(order + (<usize>r << 2)) * <usize>pixels;
    for (let o = 0; o < pixels; o += 64) touched += load<u8>(from + <usize>o);
    touched += load<u8>(from + <usize>pixels - 1);
  }
  store<u32>(touchedSink, touched);
  const rowBytes = <usize>pixels << 2;
  for (let r = 0; r < count; r++) {
    const from = images + <usize>load<u32>(order + (<usize>r << 2)) * <usize>pixels;
    unitFromBytes(from, dst + <usize>r * rowBytes, pixels);
  }
}
