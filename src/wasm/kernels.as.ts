/**
 * MLP Lab's matrix kernels in AssemblyScript, compiled to WebAssembly SIMD128 by
 * `npm run build:wasm` (scripts/build-wasm.mjs) and loaded by src/engine/kernels/wasm/wasm-kernels.ts, which
 * documents the contract. Every pointer is a byte offset into the memory the host imports; every
 * matrix is row-major f32.
 *
 * One idea carries all three products. A row of the result is a weighted sum of rows of the
 * right-hand matrix: (A·B)[i,:] = Σ_p A[i,p]·B[p,:]. The weights A[i,p] that are not zero are
 * listed (lists.as.ts), B is copied into column panels of 28 (panels.as.ts), and a micro-kernel
 * keeps 28 result columns in seven f32x4 registers while it runs down a list. Zero weights never
 * enter a list, so the 81 % of MNIST pixels and the ~50 % of ReLU outputs that are exactly 0 cost
 * nothing, and the result is exactly what computing with them would give (adding 0·b changes no
 * finite sum). Each result element is summed in increasing p, the order of the plain definition.
 *
 * - X·W   (matmul):        the rows of A are listed; B is packed.
 * - Xᵀ·G  (matmulTransA):  the columns of A are listed (through 4×4 transposes in registers).
 * - G·Wᵀ  (matmulTransB):  the rows of A are listed; Bᵀ is packed straight from B.
 *
 * The forward pass and G·Wᵀ can each end in the ReLU next to the layer (matmulBiasRelu,
 * matmulTransBReluMask): its work is done on each row as it is stored, by the thread that computed
 * the row, instead of in a pass of its own over the whole batch.
 *
 * Reads may run up to 12 bytes past the end of a matrix (the last, partial f32x4 of a row whose
 * width is not a multiple of 4); those lanes are never used, and the host keeps 16 bytes of slack
 * after its last buffer so that such a read stays in the memory. Each kernel's working space is
 * given by its ...Scratch function; the host reserves that much and passes a 16-byte-aligned
 * pointer to it.
 */

import { columnCapacity, listBytes, listColumns, listRows, listsBytes } from './lists.as';
import { alsoRelu, packPanels, packPanelsTransposed, panelRowBytes, panelsBytes, plainSums, reluMasked, runPanels, runPanelsSgd } from './panels.as';

import { sgdUpdate } from './updates.as';
export { adamUpdate, imagesToUnits, momentumUpdate, relu, reluBackward, sgdUpdate, unitFromBytes } from './updates.as';
export { softmaxRows, softmaxScratch } from './softmax.as';

/** The end of the module's static data: the host starts its buffers above it. */
export function staticDataEnd(): usize {
  return __heap_base;
}

@inline
function align16(bytes: usize): usize {
  return (bytes + 15) & ~15;
}

/**
 * Rows (or, for Xᵀ·G, columns) of A listed at a time. Lists take 8 bytes per value of A, so a
 * whole 10 000-image evaluation batch at once would need 63 MB of scratch; in chunks it needs 1.6.
 * Each chunk runs every panel, so a chunk must be large enough to reuse a panel from cache.
 */
const chunk = 256;

/** Scratch bytes matmul needs: B in panels, the lists of a chunk of A's rows. */
export function matmulScratch(m: i32, k: i32, n: i32): usize {
  return panelsBytes(k, n) + listsBytes(min(m, chunk), k);
}

/**
 * Batches of at most this many rows multiply X·W without packing W: packing copies all of W
 * (400 KB for the course's first layer, 11 µs), and a few rows' lists touch too little of it to
 * win that back.
 */
const unpackedRows = 32;

/** X·W: C[m×n] = A[m×k] · B[k×n]. */
export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  matmulBias(a, b, 0, c, m, k, n, scratch);
}

/**
 * A dense layer's forward pass, X·W + b: C[m×n] = A[m×k] · B[k×n] + bias[n] on every row, the bias
 * added to each finished sum before it is stored (bitwise matmul then addBias, one pass fewer).
 * A bias pointer of 0 means none (matmul).
 */
export function matmulBias(a: usize, b: usize, bias: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  forward(a, b, bias, c, m, k, n, scratch, plainSums, 0);
}

/**
 * A dense layer and the ReLU after it: Z = X·W + b as matmulBias stores it at c, and ReLU(Z) at y
 * (bitwise matmulBias then relu), from the same finished sums, without a pass over Z.
 */
export function matmulBiasRelu(a: usize, b: usize, bias: usize, c: usize, y: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  forward(a, b, bias, c, m, k, n, scratch, alsoRelu, y);
}

@inline
function forward(a: usize, b: usize, bias: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize, epilogue: i32, other: usize): void {
  if (m <= unpackedRows) {
    productOfRows(a, m, k, b, n, c, scratch, <u32>n << 2, false, bias, epilogue, other);
    return;
  }
  packPanels(b, <usize>n << 2, k, n, scratch);
  productOfRows(a, m, k, scratch, n, c, scratch + panelsBytes(k, n), panelRowBytes, true, bias, epilogue, other);
}

/** Scratch bytes matmulTransB needs: Bᵀ in panels, the lists of a chunk of A's rows. */
export function matmulTransBScratch(m: i32, n: i32, k: i32): usize {
  return panelsBytes(n, k) + listsBytes(min(m, chunk), n);
}

/** G·Wᵀ: C[m×k] = A[m×n] · Bᵀ with B[k×n]: Bᵀ is packed into panels, then it is X·W. */
export function matmulTransB(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, scratch: usize): void {
  packPanelsTransposed(b, k, n, scratch);
  productOfRows(a, m, n, scratch, k, c, scratch + panelsBytes(n, k), panelRowBytes, true, 0, plainSums, 0);
}

/**
 * G·Wᵀ through the ReLU below the layer: C = (A·Bᵀ) where y > 0, else +0, with y[m×k] the ReLU's
 * output (bitwise matmulTransB then reluBackward), the mask applied as each row is stored.
 */
export function matmulTransBReluMask(a: usize, b: usize, c: usize, y: usize, m: i32, n: i32, k: i32, scratch: usize): void {
  packPanelsTransposed(b, k, n, scratch);
  productOfRows(a, m, n, scratch, k, c, scratch + panelsBytes(n, k), panelRowBytes, true, 0, reluMasked, y);
}

/**
 * C[rows×n] = A[rows×len] · P, a chunk of A's rows listed at a time into `lists`: P packed in
 * panels (rowBytes = panelRowBytes), or a plain matrix rowBytes apart (see runPanels).
 */
function productOfRows(a: usize, rows: i32, len: i32, panels: usize, n: i32, c: usize, lists: usize, rowBytes: u32, packed: bool, bias: usize, epilogue: i32, other: usize): void {
  const most = min(rows, chunk);
  const firsts = lists;
  const counts = firsts + align16(<usize>most << 2);
  const offs = counts + align16(<usize>most << 2);
  const vals = offs + listBytes(most * len);
  for (let r = 0; r < rows; r += chunk) {
    const count = min(rows - r, chunk);
    listRows(a + (<usize>(r * len) << 2), count, len, rowBytes, offs, vals, firsts, counts);
    const at = <usize>(r * n) << 2;
    runPanels(offs, vals, firsts, counts, count, panels, len, n, c + at, packed, bias, epilogue, other + at);
  }
}

/** Scratch bytes matmulTransA needs: B in panels, firsts and counts, the lists of a chunk of A's columns. */
export function matmulTransAScratch(m: i32, k: i32, n: i32): usize {
  const most = <usize>min(k, chunk);
  return panelsBytes(m, n) + 2 * align16(most << 2) + 2 * (most * <usize>columnCapacity(m) << 2);
}

/**
 * Xᵀ·G: C[k×n] = Aᵀ · B with A[m×k], B[m×n]. Row p of C is column p of A times B: the columns of
 * A are listed (listColumns), a chunk at a time, then each chunk runs as X·W does.
 */
export function matmulTransA(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  matmulTransAColumns(a, b, c, m, k, n, 0, k, scratch);
}

/**
 * Rows p0 ≤ p < p1 of Xᵀ·G, exactly as matmulTransA computes them (each row of C depends only on
 * its own column of A): a second thread can take the other rows. Needs matmulTransAScratch(m, k, n).
 */
export function matmulTransAColumns(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, p0: i32, p1: i32, scratch: usize): void {
  transAColumns(a, b, c, m, k, n, p0, p1, scratch, 0);
}

/**
 * The weight gradient and an SGD step in one pass: rows p0 ≤ p < p1 of W[k×n] ← W − η·(Aᵀ·B),
 * bitwise what matmulTransA then sgdUpdate (without decay) give, without writing the gradient.
 * With a bias pointer (not 0), the layer's bias steps too: bias[n] ← bias − η·Σ_r B[r,:] (the
 * column sums of the gradient), by sumRows then sgdUpdate, in the same call.
 */
export function matmulTransASgd(a: usize, b: usize, w: usize, m: i32, k: i32, n: i32, p0: i32, p1: i32, scratch: usize, eta: f32, bias: usize): void {
  transAColumns(a, b, w, m, k, n, p0, p1, scratch, eta);
  // No rows: the sums are 0 and leave the bias as it is.
  if (bias == 0 || m == 0) return;
  // The panels of B (at least 112 bytes a row, for every 28 columns) are no longer needed: their
  // first n floats take the column sums.
  sumRows(b, scratch, m, n);
  sgdUpdate(bias, scratch, n, eta, 0);
}

/** matmulTransAColumns, or with eta ≠ 0 matmulTransASgd. */
@inline
function transAColumns(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, p0: i32, p1: i32, scratch: usize, eta: f32): void {
  const most = min(p1 - p0, chunk);
  const firsts = scratch + panelsBytes(m, n);
  const counts = firsts + align16(<usize>max(most, 0) << 2);
  const offs = counts + align16(<usize>max(most, 0) << 2);
  const vals = offs + (<usize>max(most, 0) * <usize>columnCapacity(m) << 2);
  packPanels(b, <usize>n << 2, m, n, scratch);
  for (let p = 0; p < most; p++) store<i32>(firsts + (<usize>p << 2), p * columnCapacity(m));
  for (let p = p0; p < p1; p += chunk) {
    const count = min(p1 - p, chunk);
    listColumns(a + (<usize>p << 2), <usize>k << 2, m, count, panelRowBytes, offs, vals, counts);
    if (eta != 0) runPanelsSgd(offs, vals, firsts, counts, count, scratch, m, n, c + (<usize>(p * n) << 2), eta);
    else runPanels(offs, vals, firsts, counts, count, scratch, m, n, c + (<usize>(p * n) << 2), true, 0, plainSums, 0);
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
