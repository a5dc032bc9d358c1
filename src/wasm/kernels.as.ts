/**
 * MLP Lab's matrix kernels in AssemblyScript, compiled to WebAssembly with SIMD128
 * (`npm run build:wasm`; loaded by src/engine/kernels-wasm.ts, which documents the contract).
 *
 * Every pointer is a byte offset into the memory the host imports; every matrix is row-major f32.
 *
 * One idea carries all three products. A row of the result is a weighted sum of rows of a
 * row-major matrix: (A·B)[i,:] = Σ_p A[i,p]·B[p,:]. The weights A[i,p] that are not zero are first
 * listed (their row offsets and values, left-packed four at a time without a branch), then a
 * micro-kernel keeps a stretch of 24 result columns in six f32x4 registers and runs down the list.
 * Zero weights never enter the list, so the 81 % of MNIST pixels and the ~50 % of ReLU outputs that
 * are exactly 0 cost nothing, and the result is exactly what computing with them would give (adding
 * 0·b changes no finite sum). Each result element is summed in increasing p, the order of the plain
 * definition.
 *
 * - X·W   (matmul):        row i of A is listed straight from memory.
 * - Xᵀ·G  (matmulTransA):  Aᵀ is written once into scratch, then it is X·W with A replaced by Aᵀ.
 * - G·Wᵀ  (matmulTransB):  Bᵀ is written once into scratch, then it is X·W with B replaced by Bᵀ.
 *
 * Reads may run up to 12 bytes past the end of a matrix (the last, partial f32x4 of a row whose
 * width is not a multiple of 4); those lanes are never used. The host keeps 16 bytes of slack after
 * the last buffer so such a read never leaves the memory. Each kernel's scratch size is given by
 * its ...Scratch function; the host reserves that much and passes a 16-byte-aligned pointer.
 */

/** acc + a·b on four lanes; one fused instruction where the relaxed-SIMD build allows it. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * For each 4-bit mask of lanes, an i8x16.swizzle pattern that moves those lanes to the front in
 * order (and zeros the rest): the "left-pack" that lists nonzeros without a branch per value.
 * Filled once when the module starts.
 */
const packTable = memory.data(16 * 16, 16);
for (let mask = 0; mask < 16; mask++) {
  const pattern = packTable + (<usize>mask << 4);
  let to = 0;
  for (let lane = 0; lane < 4; lane++) {
    if ((mask & (1 << lane)) == 0) continue;
    for (let byte = 0; byte < 4; byte++) store<u8>(pattern + to * 4 + byte, <u8>(lane * 4 + byte));
    to++;
  }
  for (; to < 4; to++) store<u32>(pattern + to * 4, 0x80808080);
}

/** Bytes a list of up to `length` entries needs in each of its two arrays (16 spare for left-pack stores). */
@inline
function listBytes(length: i32): usize {
  return ((<usize>length << 2) + 16 + 15) & ~15;
}

/**
 * Appends the nonzero lanes of v (those in laneMask) to a list at entry n, left-packed: values to
 * vals, the matching lanes of offsets to offs. Returns the new length. Always stores 16 bytes, so a
 * list needs 4 entries of room past its end. A NaN is not 0, so it is listed and propagates.
 */
@inline
function leftPack(v: v128, offsets: v128, laneMask: i32, offs: usize, vals: usize, n: i32): i32 {
  const mask = i32x4.bitmask(f32x4.ne(v, f32x4.splat(0))) & laneMask;
  const pattern = v128.load(packTable + (<usize>mask << 4));
  v128.store(vals + (<usize>n << 2), i8x16.swizzle(v, pattern));
  v128.store(offs + (<usize>n << 2), i8x16.swizzle(offsets, pattern));
  return n + popcnt(mask);
}

/**
 * Lists the nonzeros of a[0..len): their weights in vals and, in offs, index·scale (the byte offset
 * of the row of the right-hand matrix they weigh). Returns how many. Branch-free: the zero / nonzero
 * pattern of an image is too irregular for branch prediction, so each group of four is compared at
 * once and its nonzero lanes left-packed.
 */
function listNonzeros(a: usize, len: i32, scale: u32, offs: usize, vals: usize): i32 {
  const step = i32x4.splat(4 * scale);
  let offsets = i32x4(0, scale, 2 * scale, 3 * scale);
  let n = 0;
  let p = 0;
  for (; p + 16 <= len; p += 16) {
    const from = a + (<usize>p << 2);
    const v0 = v128.load(from);
    const v1 = v128.load(from, 16);
    const v2 = v128.load(from, 32);
    const v3 = v128.load(from, 48);
    if (v128.any_true(v128.or(v128.or(v0, v1), v128.or(v2, v3)))) {
      n = leftPack(v0, offsets, 0xf, offs, vals, n);
      n = leftPack(v1, i32x4.add(offsets, step), 0xf, offs, vals, n);
      n = leftPack(v2, i32x4.add(offsets, i32x4.add(step, step)), 0xf, offs, vals, n);
      n = leftPack(v3, i32x4.sub(i32x4.add(offsets, i32x4.shl(step, 2)), step), 0xf, offs, vals, n);
    }
    offsets = i32x4.add(offsets, i32x4.shl(step, 2));
  }
  for (; p + 4 <= len; p += 4) {
    n = leftPack(v128.load(a + (<usize>p << 2)), offsets, 0xf, offs, vals, n);
    offsets = i32x4.add(offsets, step);
  }
  // The last, partial group: lanes past the end (read from the slack after A) are masked off.
  if (p < len) n = leftPack(v128.load(a + (<usize>p << 2)), offsets, (1 << (len - p)) - 1, offs, vals, n);
  return n;
}

/** Entries a column list of listColumns holds: m, 4 of room for leftPack, rounded to 4. */
@inline
function columnCapacity(m: i32): i32 {
  return (m + 7) & ~3;
}

/**
 * Lists the nonzeros of every column of A[m×k] at once, 4×4 blocks at a time: each block is
 * transposed in registers and its four columns left-packed onto their lists, so A is read once, in
 * order, and never written out transposed. Column p's list starts at entry p·columnCapacity(m);
 * its length goes to counts[p]; offsets are row·scale.
 */
function listColumns(a: usize, m: i32, k: i32, scale: u32, offs: usize, vals: usize, counts: usize): void {
  const rowBytes = <usize>k << 2;
  const capacity = <usize>columnCapacity(m) << 2;
  const step = i32x4.splat(4 * scale);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const o0 = offs + <usize>p * capacity;
    const v0 = vals + <usize>p * capacity;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    let offsets = i32x4(0, scale, 2 * scale, 3 * scale);
    for (let r = 0; r < m; r += 4) {
      // Rows past m read as zeros (and are masked off), so A is never read past its end.
      const from = a + <usize>r * rowBytes + (<usize>p << 2);
      const rest = m - r;
      const laneMask = rest >= 4 ? 0xf : (1 << rest) - 1;
      const r0 = v128.load(from);
      const r1 = rest > 1 ? v128.load(from + rowBytes) : f32x4.splat(0);
      const r2 = rest > 2 ? v128.load(from + 2 * rowBytes) : f32x4.splat(0);
      const r3 = rest > 3 ? v128.load(from + 3 * rowBytes) : f32x4.splat(0);
      if (!v128.any_true(v128.or(v128.or(r0, r1), v128.or(r2, r3)))) {
        offsets = i32x4.add(offsets, step);
        continue;
      }
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      n0 = leftPack(v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), offsets, laneMask, o0, v0, n0);
      n1 = leftPack(v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), offsets, laneMask, o0 + capacity, v0 + capacity, n1);
      n2 = leftPack(v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), offsets, laneMask, o0 + 2 * capacity, v0 + 2 * capacity, n2);
      n3 = leftPack(v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), offsets, laneMask, o0 + 3 * capacity, v0 + 3 * capacity, n3);
      offsets = i32x4.add(offsets, step);
    }
    const count = counts + (<usize>p << 2);
    store<i32>(count, n0);
    store<i32>(count, n1, 4);
    store<i32>(count, n2, 8);
    store<i32>(count, n3, 12);
  }
  for (; p < k; p++) {
    // The last columns one value at a time (branch-free, as in leftPack).
    const o = offs + <usize>p * capacity;
    const v = vals + <usize>p * capacity;
    let n = 0;
    for (let r = 0; r < m; r++) {
      const x = load<f32>(a + <usize>r * rowBytes + (<usize>p << 2));
      store<u32>(o + (<usize>n << 2), <u32>r * scale);
      store<f32>(v + (<usize>n << 2), x);
      n += i32(x != 0);
    }
    store<i32>(counts + (<usize>p << 2), n);
  }
}

/**
 * The micro-kernel: c[0..cols) = Σ_t vals[t] · b[offs[t] + 0..cols) for cols ≤ 4·vectors, with
 * `vectors` f32x4 accumulators (at most 6: V8 keeps six, a weight and six loads in the 15 vector
 * registers it allocates; seven spill an accumulator to the stack every step). `vectors` is a
 * constant at every call, so each inlined copy keeps only its own lines. The last f32x4 may be
 * partial: all four lanes are computed, only `cols` are stored.
 */
@inline
function rowBlock(offs: usize, vals: usize, count: i32, b: usize, c: usize, vectors: i32, cols: i32): void {
  let c0 = f32x4.splat(0);
  let c1 = c0;
  let c2 = c0;
  let c3 = c0;
  let c4 = c0;
  let c5 = c0;
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
  }
  const last = c + (<usize>(vectors - 1) << 4);
  if (vectors > 1) v128.store(c, c0);
  if (vectors > 2) v128.store(c, c1, 16);
  if (vectors > 3) v128.store(c, c2, 32);
  if (vectors > 4) v128.store(c, c3, 48);
  if (vectors > 5) v128.store(c, c4, 64);
  const tail = vectors == 1 ? c0 : vectors == 2 ? c1 : vectors == 3 ? c2 : vectors == 4 ? c3 : vectors == 5 ? c4 : c5;
  storeLanes(last, tail, cols - 4 * (vectors - 1));
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

/** Bytes from one row of a packed panel to the next: room for 24 columns. */
const panelRowBytes: u32 = 96;

/**
 * The width of the next column panel when `rest` columns remain: 24 while more than 32 remain,
 * then 25 to 32 in two near-equal panels (28 as 16 + 12, not 24 + 4), and the last ≤ 24 in one.
 */
@inline
function panelWidth(rest: i32): i32 {
  if (rest > 32) return 24;
  if (rest > 24) return ((rest + 7) >> 3) << 2;
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
 * holds all k rows of its columns, 96 bytes a row, panels k·96 bytes apart. A micro-kernel then
 * reads one short contiguous row per weight instead of a slice of a long one, which keeps the
 * panel in the L1 cache (rows 512 bytes apart would all fall in the same few cache sets).
 */
function packPanels(b: usize, srcStride: usize, k: i32, n: i32, dst: usize): void {
  let to = dst;
  for (let j = 0; j < n; ) {
    const width = panelWidth(n - j);
    let from = b + (<usize>j << 2);
    if (width == 24) {
      for (let p = 0; p < k; p++, from += srcStride, to += panelRowBytes) {
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
function packPanelsTransposed(b: usize, k: i32, n: i32, dst: usize): void {
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
 * Lists every row of A[rows×len] one after another: row r's list starts at entry firsts[r] and
 * holds counts[r] entries.
 */
function listRows(a: usize, rows: i32, len: i32, offs: usize, vals: usize, firsts: usize, counts: usize): void {
  let listed = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>listed << 2;
    const count = listNonzeros(a + (<usize>(r * len) << 2), len, panelRowBytes, offs + at, vals + at);
    store<i32>(firsts + (<usize>r << 2), listed);
    store<i32>(counts + (<usize>r << 2), count);
    listed += count;
  }
}

/**
 * The product every kernel ends in: C[rows×n] = (listed rows) · P, with P[len×n] packed in panels
 * and row r of the left-hand matrix listed at firsts[r], counts[r]. Each panel is run for every
 * row while it sits in cache.
 */
function runPanels(offs: usize, vals: usize, firsts: usize, counts: usize, rows: i32, panels: usize, len: i32, n: i32, c: usize): void {
  const panelBytes = <usize>len * panelRowBytes;
  const cRow = <usize>n << 2;
  let panel = panels;
  for (let j = 0; j < n; ) {
    const width = panelWidth(n - j);
    let to = c + (<usize>j << 2);
    for (let r = 0; r < rows; r++, to += cRow) {
      const first = <usize>load<i32>(firsts + (<usize>r << 2)) << 2;
      runBlock(offs + first, vals + first, load<i32>(counts + (<usize>r << 2)), panel, to, width);
    }
    j += width;
    panel += panelBytes;
  }
}

/**
 * One list times one panel of the given width, by the micro-kernel with enough vectors for it.
 * Inlined into the two loops of runPanels on purpose: V8 unrolls an inner loop only up to a size
 * that grows with its nesting depth, and the micro-kernels run twice as fast unrolled.
 */
@inline
function runBlock(offs: usize, vals: usize, count: i32, panel: usize, c: usize, width: i32): void {
  const vectors = (width + 3) >> 2;
  if (vectors == 6) rowBlock(offs, vals, count, panel, c, 6, width);
  else if (vectors == 5) rowBlock(offs, vals, count, panel, c, 5, width);
  else if (vectors == 4) rowBlock(offs, vals, count, panel, c, 4, width);
  else if (vectors == 3) rowBlock(offs, vals, count, panel, c, 3, width);
  else if (vectors == 2) rowBlock(offs, vals, count, panel, c, 2, width);
  else rowBlock(offs, vals, count, panel, c, 1, width);
}

/** Scratch bytes of the packed panels for len×n. */
@inline
function panelsBytes(len: i32, n: i32): usize {
  return <usize>panelCount(n) * <usize>len * panelRowBytes;
}

/** Scratch bytes of listRows for rows×len: firsts, counts, then offsets and values. */
@inline
function listsBytes(rows: i32, len: i32): usize {
  return 2 * (((<usize>rows << 2) + 15) & ~15) + 2 * listBytes(rows * len);
}

/** Scratch bytes matmul needs: B in panels, the lists of A's rows. */
export function matmulScratch(m: i32, k: i32, n: i32): usize {
  return panelsBytes(k, n) + listsBytes(m, k);
}

/** X·W: C[m×n] = A[m×k] · B[k×n]. */
export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const firsts = scratch + panelsBytes(k, n);
  const counts = firsts + (((<usize>m << 2) + 15) & ~15);
  const offs = counts + (((<usize>m << 2) + 15) & ~15);
  const vals = offs + listBytes(m * k);
  packPanels(b, <usize>n << 2, k, n, scratch);
  listRows(a, m, k, offs, vals, firsts, counts);
  runPanels(offs, vals, firsts, counts, m, scratch, k, n, c);
}

/** Scratch bytes matmulTransA needs: B in panels, firsts and counts, the lists of A's columns. */
export function matmulTransAScratch(m: i32, k: i32, n: i32): usize {
  return panelsBytes(m, n) + 2 * (((<usize>k << 2) + 15) & ~15) + 2 * (<usize>k * <usize>columnCapacity(m) << 2);
}

/**
 * Xᵀ·G: C[k×n] = Aᵀ · B with A[m×k], B[m×n]. Row p of C is column p of A times B: the columns of
 * A are listed (listColumns), then it runs as X·W does.
 */
export function matmulTransA(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const firsts = scratch + panelsBytes(m, n);
  const counts = firsts + (((<usize>k << 2) + 15) & ~15);
  const offs = counts + (((<usize>k << 2) + 15) & ~15);
  const vals = offs + (<usize>k * <usize>columnCapacity(m) << 2);
  packPanels(b, <usize>n << 2, m, n, scratch);
  listColumns(a, m, k, panelRowBytes, offs, vals, counts);
  for (let p = 0; p < k; p++) store<i32>(firsts + (<usize>p << 2), p * columnCapacity(m));
  runPanels(offs, vals, firsts, counts, k, scratch, m, n, c);
}

/** Scratch bytes matmulTransB needs: Bᵀ in panels, the lists of A's rows. */
export function matmulTransBScratch(m: i32, n: i32, k: i32): usize {
  return panelsBytes(n, k) + listsBytes(m, n);
}

/** G·Wᵀ: C[m×k] = A[m×n] · Bᵀ with B[k×n]: Bᵀ is packed into panels, then it is X·W. */
export function matmulTransB(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, scratch: usize): void {
  const firsts = scratch + panelsBytes(n, k);
  const counts = firsts + (((<usize>m << 2) + 15) & ~15);
  const offs = counts + (((<usize>m << 2) + 15) & ~15);
  const vals = offs + listBytes(m * n);
  packPanelsTransposed(b, k, n, scratch);
  listRows(a, m, n, offs, vals, firsts, counts);
  runPanels(offs, vals, firsts, counts, m, scratch, n, k, c);
}

/** Bytes of a rows×cols matrix of f32, rounded up to 16. */
@inline
function matrixBytes(rows: i32, cols: i32): usize {
  return ((<usize>rows * <usize>cols << 2) + 15) & ~15;
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

/** Y[rows×cols] += bias[cols] on every row. */
export function addBias(y: usize, bias: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = y + (<usize>(r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = row + (<usize>j << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(bias + (<usize>j << 2))));
    }
    for (; j < cols; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(bias + (<usize>j << 2)));
    }
  }
}

/** out[cols] = Σ_r G[r×cols]: column sums, four columns at a time down the rows. */
export function sumRows(g: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let acc = f32x4.splat(0);
    let at = g + (<usize>j << 2);
    for (let r = 0; r < rows; r++, at += rowBytes) acc = f32x4.add(acc, v128.load(at));
    v128.store(out + (<usize>j << 2), acc);
  }
  for (; j < cols; j++) {
    let acc: f32 = 0;
    let at = g + (<usize>j << 2);
    for (let r = 0; r < rows; r++, at += rowBytes) acc += load<f32>(at);
    store<f32>(out + (<usize>j << 2), acc);
  }
}
