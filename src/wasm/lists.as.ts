/**
 * Lists of the nonzeros of a matrix, for the kernels in kernels.as.ts. A list is two arrays: the
 * weights (f32) and, for each, index·scale (u32), the byte offset of the row of the right-hand
 * matrix that it weighs. Zeros never enter a list; NaN is not 0, so it is listed and propagates.
 */

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
export function listBytes(length: i32): usize {
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
 * Lists the nonzeros of a[0..len): their weights in vals and, in offs, index·scale. Returns how
 * many. The zero / nonzero pattern of an image is too irregular for a branch per value, so each
 * group of four is compared at once and its nonzero lanes left-packed; only a stretch of sixteen
 * zeros (42 % of them in MNIST rows) is skipped by a branch, which took a third off the time.
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
export function columnCapacity(m: i32): i32 {
  return (m + 7) & ~3;
}

/**
 * Lists the nonzeros of every column of A[m×k] (rows rowBytes apart), 4×4 blocks at a time: each
 * block is transposed in registers and its four columns left-packed onto their lists, so A is read
 * once, in order, and never written out transposed; a block of zeros is skipped. Column p's list
 * starts at entry p·columnCapacity(m); its length goes to counts[p]; offsets are row·scale.
 */
export function listColumns(a: usize, rowBytes: usize, m: i32, k: i32, scale: u32, offs: usize, vals: usize, counts: usize): void {
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
 * Lists every row of A[rows×len] one after another: row r's list starts at entry firsts[r] and
 * holds counts[r] entries; offsets are index·scale.
 */
export function listRows(a: usize, rows: i32, len: i32, scale: u32, offs: usize, vals: usize, firsts: usize, counts: usize): void {
  let listed = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>listed << 2;
    const count = listNonzeros(a + (<usize>(r * len) << 2), len, scale, offs + at, vals + at);
    store<i32>(firsts + (<usize>r << 2), listed);
    store<i32>(counts + (<usize>r << 2), count);
    listed += count;
  }
}

/** Scratch bytes of listRows for rows×len: firsts and counts (16-byte aligned), offsets, values. */
@inline
export function listsBytes(rows: i32, len: i32): usize {
  return 2 * (((<usize>rows << 2) + 15) & ~15) + 2 * listBytes(rows * len);
}
