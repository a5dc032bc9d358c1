/**
 * MLP Lab's matrix kernels in AssemblyScript, compiled to WebAssembly with SIMD128
 * (`npm run build:wasm`; loaded by src/engine/kernels-wasm.ts, which documents the contract).
 *
 * Every pointer is a byte offset into the memory the host imports; every matrix is row-major f32.
 * The host also hands each call a scratch area sized for it (see the sizes in kernels-wasm.ts).
 *
 * One idea carries all three products. A row of the result is a weighted sum of rows of a
 * row-major matrix: (A·B)[i,:] = Σ_p A[i,p]·B[p,:]. The weights A[i,p] that are not zero are first
 * collected into a short list of (row offset, weight) entries, then a micro-kernel keeps a stretch
 * of 32 result columns in eight f32x4 registers and runs down the list. Zero weights never enter
 * the list, so the 81 % of MNIST pixels and the ~50 % of ReLU outputs that are exactly 0 cost
 * nothing, and the result is exactly what computing with them would give (adding 0·b changes no
 * finite sum). Each result element is summed in increasing p, the order of the plain definition.
 *
 * - X·W   (matmul):        the list of row i of A is read straight from memory.
 * - Xᵀ·G  (matmulTransA):  row p of Aᵀ is column p of A; one pass over A row by row files every
 *                          nonzero into its column's list ("bucketing"), so A is read in order.
 * - G·Wᵀ  (matmulTransB):  Bᵀ is written once into scratch, then it is X·W with B replaced by Bᵀ.
 *
 * Reads may run up to 12 bytes past the end of a matrix row (the last, partial f32x4 of a row
 * whose width is not a multiple of 4); those lanes are never stored. The host keeps 16 bytes of
 * slack after the last buffer so such a read never leaves the memory.
 */

/** Bytes of one list entry: u32 byte offset of a row of the right-hand matrix, then its f32 weight. */
const ENTRY: usize = 8;

/** acc + a·b on four lanes; one fused instruction where the relaxed-SIMD build allows it. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Writes the entry (rowOffset, x) at slot n and returns n + 1 if x ≠ 0, else n: a zero is written
 * and then overwritten by the next entry, which costs less than a branch that guesses wrong.
 * NaN ≠ 0, so a NaN weight is kept and propagates as it would in the plain definition.
 */
@inline
function push(list: usize, n: i32, x: f32, rowOffset: u32): i32 {
  const entry = list + (<usize>n << 3);
  store<u32>(entry, rowOffset);
  store<f32>(entry, x, 4);
  return n + i32(x != 0);
}

/** Lists the nonzeros of a[0..len); weight p points at byte p·rowBytes. Returns the entry count. */
function listRow(a: usize, len: i32, rowBytes: u32, list: usize): i32 {
  const zero = f32x4.splat(0);
  let n = 0;
  let p = 0;
  for (; p + 4 <= len; p += 4) {
    const v = v128.load(a + (<usize>p << 2));
    // Most groups of four pixels are all zero: one compare skips them.
    if (!v128.any_true(f32x4.ne(v, zero))) continue;
    const offset = <u32>p * rowBytes;
    n = push(list, n, f32x4.extract_lane(v, 0), offset);
    n = push(list, n, f32x4.extract_lane(v, 1), offset + rowBytes);
    n = push(list, n, f32x4.extract_lane(v, 2), offset + 2 * rowBytes);
    n = push(list, n, f32x4.extract_lane(v, 3), offset + 3 * rowBytes);
  }
  for (; p < len; p++) n = push(list, n, load<f32>(a + (<usize>p << 2)), <u32>p * rowBytes);
  return n;
}

/** c[0..32) = Σ over the list of weight · b[row + 0..32). */
function rowBlock8(list: usize, count: i32, b: usize, c: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = c0;
  let c2 = c0;
  let c3 = c0;
  let c4 = c0;
  let c5 = c0;
  let c6 = c0;
  let c7 = c0;
  const end = list + (<usize>count << 3);
  for (let e = list; e < end; e += ENTRY) {
    const row = b + <usize>load<u32>(e);
    const w = v128.load32_splat(e, 4);
    c0 = madd(w, v128.load(row), c0);
    c1 = madd(w, v128.load(row, 16), c1);
    c2 = madd(w, v128.load(row, 32), c2);
    c3 = madd(w, v128.load(row, 48), c3);
    c4 = madd(w, v128.load(row, 64), c4);
    c5 = madd(w, v128.load(row, 80), c5);
    c6 = madd(w, v128.load(row, 96), c6);
    c7 = madd(w, v128.load(row, 112), c7);
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
  v128.store(c, c2, 32);
  v128.store(c, c3, 48);
  v128.store(c, c4, 64);
  v128.store(c, c5, 80);
  v128.store(c, c6, 96);
  v128.store(c, c7, 112);
}

/** c[0..16) = Σ over the list of weight · b[row + 0..16). */
function rowBlock4(list: usize, count: i32, b: usize, c: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = c0;
  let c2 = c0;
  let c3 = c0;
  const end = list + (<usize>count << 3);
  for (let e = list; e < end; e += ENTRY) {
    const row = b + <usize>load<u32>(e);
    const w = v128.load32_splat(e, 4);
    c0 = madd(w, v128.load(row), c0);
    c1 = madd(w, v128.load(row, 16), c1);
    c2 = madd(w, v128.load(row, 32), c2);
    c3 = madd(w, v128.load(row, 48), c3);
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
  v128.store(c, c2, 32);
  v128.store(c, c3, 48);
}

/** c[0..8) = Σ over the list of weight · b[row + 0..8). */
function rowBlock2(list: usize, count: i32, b: usize, c: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = c0;
  const end = list + (<usize>count << 3);
  for (let e = list; e < end; e += ENTRY) {
    const row = b + <usize>load<u32>(e);
    const w = v128.load32_splat(e, 4);
    c0 = madd(w, v128.load(row), c0);
    c1 = madd(w, v128.load(row, 16), c1);
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

/** c[0..cols) = Σ over the list of weight · b[row + 0..cols), for 1 ≤ cols ≤ 4. */
function rowBlock1(list: usize, count: i32, b: usize, c: usize, cols: i32): void {
  let c0 = f32x4.splat(0);
  const end = list + (<usize>count << 3);
  for (let e = list; e < end; e += ENTRY) {
    c0 = madd(v128.load32_splat(e, 4), v128.load(b + <usize>load<u32>(e)), c0);
  }
  if (cols == 4) {
    v128.store(c, c0);
    return;
  }
  v128.store32_lane(c, c0, 0);
  if (cols > 1) v128.store32_lane(c, c0, 1, 4);
  if (cols > 2) v128.store32_lane(c, c0, 2, 8);
}

/** c[0..n) = Σ over the list of weight · b[row + 0..n): the row's columns in blocks of 32, 16, 8, 4, rest. */
function rowTimesMatrix(list: usize, count: i32, b: usize, n: i32, c: usize): void {
  let j = 0;
  for (; j + 32 <= n; j += 32) rowBlock8(list, count, b + (<usize>j << 2), c + (<usize>j << 2));
  if (j + 16 <= n) {
    rowBlock4(list, count, b + (<usize>j << 2), c + (<usize>j << 2));
    j += 16;
  }
  if (j + 8 <= n) {
    rowBlock2(list, count, b + (<usize>j << 2), c + (<usize>j << 2));
    j += 8;
  }
  for (; j < n; j += 4) rowBlock1(list, count, b + (<usize>j << 2), c + (<usize>j << 2), min(n - j, 4));
}

/** X·W: C[m×n] = A[m×k] · B[k×n]. Scratch: a list of k entries. */
export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const rowBytes = <u32>n << 2;
  for (let i = 0; i < m; i++) {
    const count = listRow(a + (<usize>(i * k) << 2), k, rowBytes, scratch);
    rowTimesMatrix(scratch, count, b, n, c + (<usize>(i * n) << 2));
  }
}

/**
 * Xᵀ·G: C[k×n] = Aᵀ · B with A[m×k], B[m×n]. Column p of A gets a list of capacity m at
 * lists + p·m·8; counts[p] is its length. Scratch: 4k bytes of counts (rounded to 16), then 8mk.
 */
export function matmulTransA(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const counts = scratch;
  const lists = scratch + ((<usize>k * 4 + 15) & ~15);
  const listBytes = <usize>m << 3;
  memory.fill(counts, 0, <usize>k << 2);
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const row = a + (<usize>(i * k) << 2);
    const rowOffset = <u32>(i * n) << 2;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const v = v128.load(row + (<usize>p << 2));
      if (!v128.any_true(f32x4.ne(v, zero))) continue;
      bucket(lists, listBytes, counts, p, f32x4.extract_lane(v, 0), rowOffset);
      bucket(lists, listBytes, counts, p + 1, f32x4.extract_lane(v, 1), rowOffset);
      bucket(lists, listBytes, counts, p + 2, f32x4.extract_lane(v, 2), rowOffset);
      bucket(lists, listBytes, counts, p + 3, f32x4.extract_lane(v, 3), rowOffset);
    }
    for (; p < k; p++) bucket(lists, listBytes, counts, p, load<f32>(row + (<usize>p << 2)), rowOffset);
  }
  for (let p = 0; p < k; p++) {
    const count = load<i32>(counts + (<usize>p << 2));
    rowTimesMatrix(lists + <usize>p * listBytes, count, b, n, c + (<usize>(p * n) << 2));
  }
}

/** Appends (rowOffset, x) to column p's list if x ≠ 0 (branch-free, as in push). */
@inline
function bucket(lists: usize, listBytes: usize, counts: usize, p: i32, x: f32, rowOffset: u32): void {
  const countAt = counts + (<usize>p << 2);
  const count = load<i32>(countAt);
  store<i32>(countAt, push(lists + <usize>p * listBytes, count, x, rowOffset));
}

/**
 * G·Wᵀ: C[m×k] = A[m×n] · Bᵀ with B[k×n]. Scratch: Bᵀ (n×k floats, rounded to 16 bytes), then a
 * list of n entries.
 */
export function matmulTransB(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, scratch: usize): void {
  const bt = scratch;
  const list = scratch + ((<usize>(n * k) * 4 + 15) & ~15);
  transpose(b, bt, k, n);
  const rowBytes = <u32>k << 2;
  for (let i = 0; i < m; i++) {
    const count = listRow(a + (<usize>(i * n) << 2), n, rowBytes, list);
    rowTimesMatrix(list, count, bt, k, c + (<usize>(i * k) << 2));
  }
}

/** dst[cols×rows] = src[rows×cols]ᵀ. */
function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const from = src + (<usize>(r * cols) << 2);
    for (let j = 0; j < cols; j++) {
      store<f32>(dst + (<usize>(j * rows + r) << 2), load<f32>(from + (<usize>j << 2)));
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
