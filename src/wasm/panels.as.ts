/**
 * Column panels, and the micro-kernel that runs a list down one, for the kernels in kernels.as.ts.
 * The right-hand matrix of a product is copied into panels of at most 28 columns, each row of a
 * panel 112 bytes after the last; each result row is then computed panel by panel from its list.
 */

/** acc + a·b on four lanes; one fused instruction where the relaxed-SIMD build allows it. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * The micro-kernel: c[0..cols) = Σ_t vals[t] · b[offs[t] + 0..cols) for cols ≤ 4·vectors, with
 * `vectors` f32x4 accumulators. Each accumulator is a chain of dependent multiply-adds, so a step
 * takes at least one multiply-add latency (4 cycles here) however few it does: the more
 * accumulators, the more work per step. Seven is the most V8 can hold: it issues all of a step's
 * loads before its multiply-adds, so seven accumulators, seven loaded rows and the weight fill its
 * 15 vector registers exactly (eight spilled, measured 8 % slower; seven instead of six: the
 * course network's first layer 5 % faster). `vectors` is a constant at every call, so each inlined
 * copy keeps only its own lines. The last f32x4 may be partial: all four lanes are computed, only
 * `cols` are stored. With a `bias` pointer (not 0), bias[0..cols) is added to the sums before they
 * are stored (its last f32x4 may read past the bias, into lanes never stored). `epilogue` (a
 * constant at every call) says what else happens to the finished sums, at `other`: see put.
 */
@inline
function rowBlock(offs: usize, vals: usize, count: i32, b: usize, c: usize, vectors: i32, cols: i32, update: bool, eta: v128, bias: usize, epilogue: i32, other: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = c0;
  let c2 = c0;
  let c3 = c0;
  let c4 = c0;
  let c5 = c0;
  let c6 = c0;
  const end = <usize>count << 2;
  for (let t: usize = 0; t < end; t += 4) {
    const row = b + <usize>load<u32>(offs + t);
    const w = v128.load32_splat(vals + t);
    c0 = madd(w, v128.load(row), c0);
    if (vectors > 1) c1 = madd(w, v128.load(row, 16), c1);
    if (vectors > 2) c2 = madd(w, v128.load(row, 32), c2);
    if (vectors > 3) c3 = madd(w, v128.load(row, 48), c3);
    if (vectors > 4) c4 = madd(w, v128.load(row, 64), c4);
    if (vectors > 5) c5 = madd(w, v128.load(row, 80), c5);
    if (vectors > 6) c6 = madd(w, v128.load(row, 96), c6);
  }
  if (bias != 0) {
    // The bias after the whole sum, as adding it to the stored product would.
    c0 = f32x4.add(c0, v128.load(bias));
    if (vectors > 1) c1 = f32x4.add(c1, v128.load(bias, 16));
    if (vectors > 2) c2 = f32x4.add(c2, v128.load(bias, 32));
    if (vectors > 3) c3 = f32x4.add(c3, v128.load(bias, 48));
    if (vectors > 4) c4 = f32x4.add(c4, v128.load(bias, 64));
    if (vectors > 5) c5 = f32x4.add(c5, v128.load(bias, 80));
    if (vectors > 6) c6 = f32x4.add(c6, v128.load(bias, 96));
  }
  const tailAt = <usize>(vectors - 1) << 4;
  if (vectors > 1) put(c, other, result(c, c0, update, eta), 4, epilogue);
  if (vectors > 2) put(c + 16, other + 16, result(c + 16, c1, update, eta), 4, epilogue);
  if (vectors > 3) put(c + 32, other + 32, result(c + 32, c2, update, eta), 4, epilogue);
  if (vectors > 4) put(c + 48, other + 48, result(c + 48, c3, update, eta), 4, epilogue);
  if (vectors > 5) put(c + 64, other + 64, result(c + 64, c4, update, eta), 4, epilogue);
  if (vectors > 6) put(c + 80, other + 80, result(c + 80, c5, update, eta), 4, epilogue);
  const tail = vectors == 1 ? c0 : vectors == 2 ? c1 : vectors == 3 ? c2 : vectors == 4 ? c3 : vectors == 5 ? c4 : vectors == 6 ? c5 : c6;
  put(c + tailAt, other + tailAt, result(c + tailAt, tail, update, eta), cols - 4 * (vectors - 1), epilogue);
}

/** The finished sums are stored at c, and nothing else happens. */
export const plainSums = 0;
/**
 * The sums are a dense layer's pre-activations Z, stored at c; ReLU(Z) is stored at `other` too
 * (the next layer's input, so that ReLU needs no pass of its own), as v > 0 ? v : +0, bitwise
 * what relu in updates.as.ts gives.
 */
export const alsoRelu = 1;
/**
 * The sums are ∂L/∂Y of a ReLU whose output Y lies at `other`; what is stored at c is ∂L/∂Z: the
 * sum where y > 0, else +0, bitwise what reluBackward in updates.as.ts gives.
 */
export const reluMasked = 2;

/** Stores the first `lanes` (1 to 4) lanes of v at c, and what the epilogue adds at `other`. */
@inline
function put(c: usize, other: usize, v: v128, lanes: i32, epilogue: i32): void {
  const zero = f32x4.splat(0);
  // A mask load of a partial last f32x4 reads up to 12 bytes past Y's row: lanes never stored.
  let value = v;
  if (epilogue == reluMasked) value = v128.and(v, f32x4.gt(v128.load(other), zero));
  storeLanes(c, value, lanes);
  if (epilogue == alsoRelu) storeLanes(other, v128.and(value, f32x4.gt(value, zero)), lanes);
}

/**
 * What a micro-kernel stores: the sums, or with `update` (a constant at every call) an SGD step
 * on what c holds, c − η·sums, multiplied and subtracted apart (no fused multiply-add), exactly as
 * sgdUpdate in updates.as.ts computes it from a stored gradient.
 */
@inline
function result(c: usize, sums: v128, update: bool, eta: v128): v128 {
  if (!update) return sums;
  return f32x4.sub(v128.load(c), f32x4.mul(eta, sums));
}

/** Stores the first `lanes` (1 to 4) lanes of v at c. */
@inline
function storeLanes(c: usize, v: v128, lanes: i32): void {
  if (lanes == 4) {
    v128.store(c, v);
    return;
  }
  v128.store32_lane(c, v, 0);
  if (lanes > 1) v128.store32_lane(c, v, 1, 4);
  if (lanes > 2) v128.store32_lane(c, v, 2, 8);
}

/** Bytes from one row of a packed panel to the next: room for 28 columns. */
export const panelRowBytes: u32 = 112;

/**
 * The width of the next column panel when `rest` columns remain: 28 while more than 56 remain,
 * then 29 to 56 in two near-equal panels (32 as 16 + 16, not 28 + 4), and the last ≤ 28 in one.
 */
@inline
function panelWidth(rest: i32): i32 {
  if (rest > 56) return 28;
  if (rest > 28) return ((rest + 7) >> 3) << 2;
  return rest;
}

/** How many panels n columns make. */
function panelCount(n: i32): i32 {
  let count = 0;
  for (let j = 0; j < n; j += panelWidth(n - j)) count++;
  return count;
}

/**
 * Copies the right-hand matrix B[k×n] (rows srcStride bytes apart) into column panels: panel q
 * holds all k rows of its columns, 112 bytes a row, panels k·112 bytes apart. A micro-kernel then
 * reads one short contiguous row per weight instead of a slice of a long one: for 784×128 weights
 * the copy costs 11 µs and saves 20 (rows 512 bytes apart fall into few cache sets).
 */
export function packPanels(b: usize, srcStride: usize, k: i32, n: i32, dst: usize): void {
  let to = dst;
  for (let j = 0; j < n; ) {
    const width = panelWidth(n - j);
    let from = b + (<usize>j << 2);
    if (width == 28) {
      for (let p = 0; p < k; p++, from += srcStride, to += panelRowBytes) {
        v128.store(to, v128.load(from, 96), 96);
        v128.store(to, v128.load(from));
        v128.store(to, v128.load(from, 16), 16);
        v128.store(to, v128.load(from, 32), 32);
        v128.store(to, v128.load(from, 48), 48);
        v128.store(to, v128.load(from, 64), 64);
        v128.store(to, v128.load(from, 80), 80);
      }
    } else {
      for (let p = 0; p < k; p++, from += srcStride, to += panelRowBytes) {
        // Whole f32x4s: a partial last one copies a little of what follows, which no kernel stores.
        for (let v = 0; v < width; v += 4) v128.store(to + (<usize>v << 2), v128.load(from + (<usize>v << 2)));
      }
    }
    j += width;
  }
}

/**
 * Packs Bᵀ into column panels straight from B[k×n]: the columns of Bᵀ are the rows of B, so panel q
 * is the transpose of a band of B's rows.
 */
export function packPanelsTransposed(b: usize, k: i32, n: i32, dst: usize): void {
  const panelBytes = <usize>n * panelRowBytes;
  const rowBytes = <usize>n << 2;
  let to = dst;
  for (let q = 0; q < k; ) {
    const width = panelWidth(k - q);
    transpose(b + <usize>q * rowBytes, rowBytes, width, n, to, panelRowBytes);
    q += width;
    to += panelBytes;
  }
}

/**
 * The product every kernel ends in: C[rows×n] = (listed rows) · P, plus bias[0..n) on every row
 * when the bias pointer is not 0, with row r of the left-hand matrix listed at firsts[r],
 * counts[r]. P[len×n] is packed in panels (`packed`), or is a plain row-major matrix whose rows the
 * lists' offsets already point at (row stride × index): then panel q is simply its columns from
 * 4·j bytes on. Each panel is run for every row while it sits in cache. `epilogue` (plainSums,
 * alsoRelu, reluMasked) says what else each finished row does at `other`, a matrix laid out as C.
 */
export function runPanels(offs: usize, vals: usize, firsts: usize, counts: usize, rows: i32, panels: usize, len: i32, n: i32, c: usize, packed: bool, bias: usize, epilogue: i32, other: usize): void {
  const panelBytes = <usize>len * panelRowBytes;
  const cRow = <usize>n << 2;
  const none = f32x4.splat(0);
  let panel = panels;
  for (let j = 0; j < n; ) {
    const width = panelWidth(n - j);
    let to = c + (<usize>j << 2);
    for (let r = 0; r < rows; r++, to += cRow) {
      const first = <usize>load<i32>(firsts + (<usize>r << 2)) << 2;
      runBlock(offs + first, vals + first, load<i32>(counts + (<usize>r << 2)), panel, to, width, false, none, bias == 0 ? 0 : bias + (<usize>j << 2), epilogue, other + (to - c));
    }
    j += width;
    panel += packed ? panelBytes : <usize>width << 2;
  }
}

/**
 * runPanels taking an SGD step instead of storing: C ← C − η·(listed rows)·P, each row of C
 * updated as soon as it is summed. A row whose list is empty has a zero sum and stays exactly as
 * it is (c − η·0 = c), so it is skipped: C is W, and such a row belongs to a pixel that is 0 in the
 * whole batch.
 *
 * The order of the loops depends on the size of P. While all its panels fit in the first-level
 * cache (a small batch's gradient), each row of C is finished panel after panel: W is then read
 * and written once, in order, instead of in one strided pass a panel (twice as fast at batch 8).
 * Otherwise each panel is run for every row while it sits in cache, as in runPanels.
 */
export function runPanelsSgd(offs: usize, vals: usize, firsts: usize, counts: usize, rows: i32, panels: usize, len: i32, n: i32, c: usize, eta: f32): void {
  const panelBytes = <usize>len * panelRowBytes;
  const cRow = <usize>n << 2;
  const etaV = f32x4.splat(eta);
  if (<usize>panelCount(n) * panelBytes <= rowFirstBytes) {
    let row = c;
    for (let r = 0; r < rows; r++, row += cRow) {
      const count = load<i32>(counts + (<usize>r << 2));
      if (count == 0) continue;
      const first = <usize>load<i32>(firsts + (<usize>r << 2)) << 2;
      let panel = panels;
      for (let j = 0; j < n; ) {
        const width = panelWidth(n - j);
        runBlock(offs + first, vals + first, count, panel, row + (<usize>j << 2), width, true, etaV, 0, plainSums, 0);
        j += width;
        panel += panelBytes;
      }
    }
    return;
  }
  let panel = panels;
  for (let j = 0; j < n; ) {
    const width = panelWidth(n - j);
    let to = c + (<usize>j << 2);
    for (let r = 0; r < rows; r++, to += cRow) {
      const count = load<i32>(counts + (<usize>r << 2));
      if (count == 0) continue;
      const first = <usize>load<i32>(firsts + (<usize>r << 2)) << 2;
      runBlock(offs + first, vals + first, count, panel, to, width, true, etaV, 0, plainSums, 0);
    }
    j += width;
    panel += panelBytes;
  }
}

/**
 * Packed panels up to this size are run row by row in runPanelsSgd: most of a 48 KiB L1, so that
 * the course network's batch-64 gradient (36 KiB of panels) still is (measured 5 % faster).
 */
const rowFirstBytes: usize = 40 << 10;

/**
 * One list times one panel of the given width, by the micro-kernel with enough vectors for it.
 * Inlined into the two loops of runPanels on purpose: V8 unrolls an inner loop only up to a size
 * that grows with its nesting depth, and the micro-kernels run twice as fast unrolled.
 */
@inline
function runBlock(offs: usize, vals: usize, count: i32, panel: usize, c: usize, width: i32, update: bool, eta: v128, bias: usize, epilogue: i32, other: usize): void {
  const vectors = (width + 3) >> 2;
  if (vectors == 7) rowBlock(offs, vals, count, panel, c, 7, width, update, eta, bias, epilogue, other);
  else if (vectors == 6) rowBlock(offs, vals, count, panel, c, 6, width, update, eta, bias, epilogue, other);
  else if (vectors == 5) rowBlock(offs, vals, count, panel, c, 5, width, update, eta, bias, epilogue, other);
  else if (vectors == 4) rowBlock(offs, vals, count, panel, c, 4, width, update, eta, bias, epilogue, other);
  else if (vectors == 3) rowBlock(offs, vals, count, panel, c, 3, width, update, eta, bias, epilogue, other);
  else if (vectors == 2) rowBlock(offs, vals, count, panel, c, 2, width, update, eta, bias, epilogue, other);
  else rowBlock(offs, vals, count, panel, c, 1, width, update, eta, bias, epilogue, other);
}

/** Scratch bytes of the packed panels for len×n. */
@inline
export function panelsBytes(len: i32, n: i32): usize {
  return <usize>panelCount(n) * <usize>len * panelRowBytes;
}

/**
 * dst[j][r] = src[r][j] for r < rows, j < cols (row strides in bytes), in 4×4 blocks transposed in
 * registers, then the edges. Blocks go down a stripe of four source columns, so the destination is
 * written row after row and the source lines being read stay in cache for the next stripe.
 */
function transpose(src: usize, srcStride: usize, rows: i32, cols: i32, dst: usize, dstStride: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const from = src + <usize>r * srcStride + (<usize>j << 2);
      const v0 = v128.load(from);
      const v1 = v128.load(from + srcStride);
      const v2 = v128.load(from + 2 * srcStride);
      const v3 = v128.load(from + 3 * srcStride);
      const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      const to = dst + <usize>j * dstStride + (<usize>r << 2);
      v128.store(to, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(to + dstStride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(to + 2 * dstStride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(to + 3 * dstStride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (; r < rows; r++) {
      for (let q = j; q < j + 4; q++) {
        store<f32>(dst + <usize>q * dstStride + (<usize>r << 2), load<f32>(src + <usize>r * srcStride + (<usize>q << 2)));
      }
    }
  }
  for (; j < cols; j++) {
    for (let r = 0; r < rows; r++) {
      store<f32>(dst + <usize>j * dstStride + (<usize>r << 2), load<f32>(src + <usize>r * srcStride + (<usize>j << 2)));
    }
  }
}
