import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { jsKernels } from '../../src/engine/kernels/js';
import { referenceKernels } from '../../src/engine/kernels/reference';
import { selectKernels } from '../../src/engine/kernels/select';
import { createWasmKernels, wasmRelaxedSimdSupported, wasmSimdSupported } from '../../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../../src/engine/nn/rng';

/**
 * Every fast kernel against the plain reference. The reference sums in float64 and rounds once;
 * a float32 kernel may round at every step, so results agree to
 *
 *   |fast − reference| ≤ 1e-5 · Σ|a·b| + 1e-6
 *
 * per element, where Σ|a·b| is the sum of the magnitudes of that element's products (the scale
 * of the rounding error of any summation order). With integer inputs every partial sum is exact
 * in float32, so there the results must be bitwise equal: that is how zero-skipping is shown to be
 * exact rather than merely close.
 */
const relativeTolerance = 1e-5;
// Node 20 has relaxed SIMD only behind this flag (Electron has it on): turn it on for this file,
// before any kernels are made, so that the fused multiply-add build is tested too.
setFlagsFromString('--experimental-wasm-relaxed-simd');
afterAll(() => setFlagsFromString('--no-experimental-wasm-relaxed-simd'));

const absoluteTolerance = 1e-6;

type Op = 'matmul' | 'matmulTransA' | 'matmulTransB';
const ops: Op[] = ['matmul', 'matmulTransA', 'matmulTransB'];

/** Operand lengths of each op for its own size arguments (d0, d1, d2). */
function lengths(op: Op, d0: number, d1: number, d2: number): { a: number; b: number; c: number } {
  switch (op) {
    case 'matmul': // m, k, n: A[m×k]·B[k×n]
      return { a: d0 * d1, b: d1 * d2, c: d0 * d2 };
    case 'matmulTransA': // m, k, n: A[m×k]ᵀ·B[m×n]
      return { a: d0 * d1, b: d0 * d2, c: d1 * d2 };
    case 'matmulTransB': // m, n, k: A[m×n]·B[k×n]ᵀ
      return { a: d0 * d1, b: d2 * d1, c: d0 * d2 };
  }
}

/** Σ|a·b| for every output element: the reference kernel run on the magnitudes. */
function magnitudes(op: Op, a: Float32Array, b: Float32Array, d0: number, d1: number, d2: number): Float32Array {
  const out = new Float32Array(lengths(op, d0, d1, d2).c);
  referenceKernels[op](a.map(Math.abs), b.map(Math.abs), out, d0, d1, d2);
  return out;
}

/** Uniform in ±1, each entry exactly 0 with probability zeroFraction; integers in ±3 if asked. */
function randomMatrix(rng: Rng, length: number, zeroFraction: number, integers = false): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    if (rng.uniform() < zeroFraction) continue;
    x[i] = integers ? rng.int(7) - 3 : rng.uniformIn(-1, 1);
  }
  return x;
}

/** A buffer of the kernels under test holding a copy of source. */
function place(kernels: Kernels, source: Float32Array): Float32Array {
  const buffer = kernels.createBuffer(source.length);
  buffer.set(source);
  return buffer;
}

const awkward = [1, 3, 5, 7, 17, 33];
/**
 * Every combination of awkward sizes, 784 in each position, the real training shapes, and widths
 * that end the wasm kernels' column panels (28 columns, seven f32x4) at every lane: one panel of
 * 25 to 28 columns, two near-equal panels of 29 to 56, then full panels and one short one.
 */
const shapes: [number, number, number][] = [];
for (const d0 of awkward) for (const d1 of awkward) for (const d2 of awkward) shapes.push([d0, d1, d2]);
for (const [p, q] of [[1, 1], [3, 5], [7, 17], [33, 1], [17, 33]]) {
  shapes.push([784, p, q], [p, 784, q], [p, q, 784]);
}
shapes.push([64, 784, 128], [64, 128, 64], [64, 64, 10], [64, 10, 64], [64, 64, 128]);
for (const width of [25, 26, 27, 28, 29, 55, 56, 57, 85, 256]) shapes.push([9, width, width], [width, 9, width]);

interface Implementation {
  label: string;
  make: () => Promise<Kernels>;
  /** Whether operands are placed in the kernels' own buffers (else plain Float32Arrays are passed). */
  ownBuffers: boolean;
}

const implementations: Implementation[] = [
  { label: 'js', make: async () => jsKernels, ownBuffers: true },
  {
    label: 'wasm-simd, shared memory, own buffers',
    make: () => createWasmKernels({ memory: 'shared', fusedMultiplyAdd: false }),
    ownBuffers: true,
  },
  {
    label: 'wasm-simd, shared memory, fused multiply-add, own buffers',
    make: async () => {
      const kernels = await createWasmKernels({ memory: 'shared' });
      expect(kernels.fusedMultiplyAdd).toBe(true);
      return kernels;
    },
    ownBuffers: true,
  },
  { label: 'wasm-simd, shared memory, plain arrays (copied)', make: () => createWasmKernels(), ownBuffers: false },
  {
    label: 'wasm-simd, plain memory, own buffers',
    make: () => createWasmKernels({ memory: 'plain', maxBytes: 64 << 20 }),
    ownBuffers: true,
  },
];

describe.each(implementations)('$label', ({ make, ownBuffers }) => {
  let kernels: Kernels;
  const arrayFor = (source: Float32Array) => (ownBuffers ? place(kernels, source) : source.slice());

  beforeAll(async () => {
    kernels = await make();
  });

  describe.each(ops)('%s', (op) => {
    it('matches the reference on awkward and real shapes, sparse and dense, within the stated tolerance', () => {
      const rng = new Rng(7);
      for (const [d0, d1, d2] of shapes) {
        for (const zeroFraction of [0, 0.5, 0.9]) {
          const size = lengths(op, d0, d1, d2);
          const a = randomMatrix(rng, size.a, zeroFraction);
          const b = randomMatrix(rng, size.b, zeroFraction / 2);
          const expected = new Float32Array(size.c);
          referenceKernels[op](a, b, expected, d0, d1, d2);
          const scale = magnitudes(op, a, b, d0, d1, d2);
          const c = arrayFor(new Float32Array(size.c).fill(Number.NaN));
          kernels[op](arrayFor(a), arrayFor(b), c, d0, d1, d2);
          for (let i = 0; i < size.c; i++) {
            const error = Math.abs(c[i] - expected[i]);
            if (!(error <= relativeTolerance * scale[i] + absoluteTolerance)) {
              expect.fail(`${op} ${d0}×${d1}×${d2} (${zeroFraction} zeros): element ${i} is ${c[i]}, expected ${expected[i]}`);
            }
          }
        }
      }
    });

    it('is bitwise exact on sparse integer inputs, so skipping zeros changes nothing', () => {
      const rng = new Rng(11);
      for (const [d0, d1, d2] of [[64, 784, 128], [17, 33, 7], [5, 3, 33]] as const) {
        const size = lengths(op, d0, d1, d2);
        const a = randomMatrix(rng, size.a, 0.8, true);
        const b = randomMatrix(rng, size.b, 0.3, true);
        const expected = new Float32Array(size.c);
        referenceKernels[op](a, b, expected, d0, d1, d2);
        const c = arrayFor(new Float32Array(size.c).fill(Number.NaN));
        kernels[op](arrayFor(a), arrayFor(b), c, d0, d1, d2);
        expect(Array.from(c)).toEqual(Array.from(expected));
      }
    });

    it('gives exact zeros for an all-zero row and column of A, overwriting garbage in C', () => {
      const [d0, d1, d2] = [9, 13, 11];
      const size = lengths(op, d0, d1, d2);
      const rng = new Rng(3);
      const a = randomMatrix(rng, size.a, 0.3);
      // A is d0×d1 for every op: zero its row 2 and its column 5.
      a.fill(0, 2 * d1, 3 * d1);
      for (let r = 0; r < d0; r++) a[r * d1 + 5] = 0;
      const b = randomMatrix(rng, size.b, 0);
      const expected = new Float32Array(size.c);
      referenceKernels[op](a, b, expected, d0, d1, d2);
      const c = arrayFor(new Float32Array(size.c).fill(Number.NaN));
      kernels[op](arrayFor(a), arrayFor(b), c, d0, d1, d2);
      const rowsOfC = op === 'matmulTransA' ? d1 : d0;
      const colsOfC = size.c / rowsOfC;
      // The zero row of A is a zero row of C (X·W, G·Wᵀ); its zero column is a zero row of C for Xᵀ·G.
      const zeroRow = op === 'matmulTransA' ? 5 : 2;
      expect(Array.from(c.subarray(zeroRow * colsOfC, (zeroRow + 1) * colsOfC))).toEqual(new Array(colsOfC).fill(0));
      for (let i = 0; i < size.c; i++) {
        expect(Math.abs(c[i] - expected[i])).toBeLessThanOrEqual(1e-5 * 13 + absoluteTolerance);
      }
    });

    it('propagates a NaN in A', () => {
      const a = arrayFor(new Float32Array([1, Number.NaN, 0, 2]));
      const b = arrayFor(new Float32Array([1, 1, 1, 1]));
      const c = arrayFor(new Float32Array(4));
      kernels[op](a, b, c, 2, 2, 2);
      expect(Array.from(c).some(Number.isNaN)).toBe(true);
    });
  });

  it('matmulBias, where the kernels offer it for these arrays, is bitwise matmul then addBias', () => {
    const rng = new Rng(9);
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [17, 33, 5], [33, 17, 33], [64, 784, 128], [64, 128, 64], [64, 64, 10], [40, 7, 130]]) {
      const x = arrayFor(randomMatrix(rng, m * k, 0.6));
      const w = arrayFor(randomMatrix(rng, k * n, 0));
      const bias = arrayFor(randomMatrix(rng, n, 0));
      const apart = arrayFor(new Float32Array(m * n));
      kernels.matmul(x, w, apart, m, k, n);
      kernels.addBias(apart, bias, m, n);
      const fused = arrayFor(new Float32Array(m * n).fill(Number.NaN));
      const done = kernels.matmulBias?.(x, w, bias, fused, m, k, n) ?? false;
      // The WebAssembly kernels fuse on their own buffers; elsewhere the layer falls back.
      expect(done).toBe(kernels.name === 'wasm-simd' && ownBuffers);
      if (done) expect(new Uint32Array(fused.slice().buffer)).toEqual(new Uint32Array(apart.slice().buffer));
    }
  });

  it('addBias adds the bias to every row, on awkward widths', () => {
    const rng = new Rng(5);
    for (const [rows, cols] of [[1, 1], [3, 5], [7, 17], [64, 128], [33, 10], [5, 784]]) {
      const y = randomMatrix(rng, rows * cols, 0.3);
      const bias = randomMatrix(rng, cols, 0.3);
      const expected = y.slice();
      referenceKernels.addBias(expected, bias, rows, cols);
      const out = arrayFor(y);
      kernels.addBias(out, arrayFor(bias), rows, cols);
      expect(Array.from(out)).toEqual(Array.from(expected));
    }
  });

  it('sumRows writes the column sums over garbage, on awkward widths', () => {
    const rng = new Rng(6);
    for (const [rows, cols] of [[1, 1], [3, 5], [7, 17], [64, 128], [33, 10], [5, 784], [100, 3]]) {
      const g = randomMatrix(rng, rows * cols, 0.3);
      const expected = new Float32Array(cols);
      referenceKernels.sumRows(g, expected, rows, cols);
      const out = arrayFor(new Float32Array(cols).fill(Number.NaN));
      kernels.sumRows(arrayFor(g), out, rows, cols);
      for (let j = 0; j < cols; j++) expect(Math.abs(out[j] - expected[j])).toBeLessThanOrEqual(1e-5 * rows + absoluteTolerance);
    }
  });

  it('handles empty products: k = 0 gives zeros, m = 0 writes nothing', () => {
    const c = arrayFor(new Float32Array(6).fill(Number.NaN));
    kernels.matmul(arrayFor(new Float32Array(0)), arrayFor(new Float32Array(0)), c, 2, 0, 3);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    const untouched = arrayFor(new Float32Array([7]));
    kernels.matmulTransB(arrayFor(new Float32Array(0)), arrayFor(new Float32Array(3)), untouched, 0, 3, 1);
    expect(untouched[0]).toBe(7);
  });
});

describe('wasm-simd kernels', () => {
  it('are supported on this machine, and auto picks them', async () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(wasmRelaxedSimdSupported()).toBe(true);
    expect((await selectKernels('auto')).name).toBe('wasm-simd');
    expect((await selectKernels('wasm')).name).toBe('wasm-simd');
    expect((await selectKernels('js')).name).toBe('js');
  });

  it('hand out zeroed, 16-byte-aligned buffers that stay valid while the memory grows', async () => {
    const kernels = await createWasmKernels({ memory: 'shared', maxBytes: 64 << 20 });
    expect(kernels.memoryKind).toBe('shared');
    const first = kernels.createBuffer(1001);
    expect(first.byteOffset % 16).toBe(0);
    expect(first.every((value) => value === 0)).toBe(true);
    for (let i = 0; i < first.length; i++) first[i] = i + 0.5;
    const memoryBefore = first.buffer;
    // 40 MiB in all: the memory starts at 128 KiB, so it grows many times over.
    const later: Float32Array[] = [];
    for (let n = 0; n < 300; n++) {
      const buffer = kernels.createBuffer((1 << 15) + n);
      expect(buffer.byteOffset % 16).toBe(0);
      buffer[0] = n;
      later.push(buffer);
    }
    expect(later[299].buffer).not.toBe(memoryBefore);
    expect(first.length).toBe(1001);
    for (let i = 0; i < first.length; i++) expect(first[i]).toBe(i + 0.5);
    later.forEach((buffer, n) => expect(buffer[0]).toBe(n));
    // The first buffer, from the memory's first incarnation, still works in a kernel.
    const c = kernels.createBuffer(1);
    kernels.matmul(first, later[0], c, 1, 1, 1);
    expect(c[0]).toBe(0.5 * 0);
    later[0][0] = 2;
    kernels.matmul(first, later[0], c, 1, 1, 1);
    expect(c[0]).toBe(1);
  });

  it('say clearly when an operand is too short or the memory is full', async () => {
    const kernels = await createWasmKernels({ memory: 'plain', maxBytes: 4 << 20 });
    expect([kernels.memoryKind, kernels.fusedMultiplyAdd]).toEqual(['plain', false]);
    const a = kernels.createBuffer(6);
    expect(() => kernels.matmul(a, kernels.createBuffer(6), kernels.createBuffer(3), 2, 3, 2)).toThrow(
      /matmul needs C of at least 4 floats, got 3/,
    );
    expect(() => kernels.createBuffer(2 << 20)).toThrow(/out of memory: .* the most is 4\.0 MiB/);
  });
});
