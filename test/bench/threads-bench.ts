/**
 * Times the matrix products of one training step of the course's 784-128-64-10 network at batch
 * 128 on the WebAssembly kernels with one thread and with a helper thread (src/node/kernel-threads.ts),
 * taking turns round after round; each keeps its best round, the one least disturbed on a shared
 * machine. The best round shows what the split can give when the second core is free; the bench
 * (`npm run -s bench -- --threads 2 --batch 128`) shows what it gives in a whole run right now.
 *
 *   npm run build:wasm && npx tsx test/bench/threads-bench.ts [--rounds 15]
 */
import { setFlagsFromString } from 'node:v8';
import type { Kernels } from '../../src/engine/kernels/kernels';
import { createWasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../../src/engine/nn/rng';
import { spawnNodeHelper } from '../../src/node/kernel-threads';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;
const batch = 128;
const rng = new Rng(1);

/** Uniform in ±scale, each entry zero with probability zeroFraction (81 % for MNIST pixels, ~50 % after ReLU). */
function random(length: number, scale: number, zeroFraction: number): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.uniform() < zeroFraction ? 0 : rng.uniform() * scale;
  return x;
}

type Op = 'matmul' | 'matmulTransA' | 'matmulTransB';
const cases: { label: string; op: Op; sizes: [number, number, number]; a: Float32Array; b: Float32Array; c: number }[] = [
  { label: 'L1 X·W   128×784·784×128', op: 'matmul', sizes: [batch, 784, 128], a: random(batch * 784, 1, 0.81), b: random(784 * 128, 0.036, 0), c: batch * 128 },
  { label: 'L1 Xᵀ·G  784×128·128×128', op: 'matmulTransA', sizes: [batch, 784, 128], a: random(batch * 784, 1, 0.81), b: random(batch * 128, 0.01, 0.5), c: 784 * 128 },
  { label: 'L2 X·W   128×128·128×64', op: 'matmul', sizes: [batch, 128, 64], a: random(batch * 128, 1, 0.5), b: random(128 * 64, 0.088, 0), c: batch * 64 },
  { label: 'L2 Xᵀ·G  128×128·128×64', op: 'matmulTransA', sizes: [batch, 128, 64], a: random(batch * 128, 1, 0.5), b: random(batch * 64, 0.01, 0.5), c: 128 * 64 },
  { label: 'L2 G·Wᵀ  128×64·64×128', op: 'matmulTransB', sizes: [batch, 64, 128], a: random(batch * 64, 0.01, 0.5), b: random(128 * 64, 0.088, 0), c: batch * 128 },
];

function place(kernels: Kernels, source: Float32Array): Float32Array {
  const buffer = kernels.createBuffer(source.length);
  buffer.set(source);
  return buffer;
}

setFlagsFromString('--experimental-wasm-relaxed-simd');
const one = await createWasmKernels();
const two = await createWasmKernels({ spawnHelper: spawnNodeHelper });
console.log(`${rounds} rounds, best of each; µs per product`);
let total1 = 0;
let total2 = 0;
for (const c of cases) {
  const [d0, d1, d2] = c.sizes;
  const calls = [one, two].map((kernels) => {
    const a = place(kernels, c.a);
    const b = place(kernels, c.b);
    const out = kernels.createBuffer(c.c);
    return () => kernels[c.op](a, b, out, d0, d1, d2);
  });
  const best = [Infinity, Infinity];
  for (let round = 0; round < rounds; round++) {
    calls.forEach((call, i) => {
      const start = performance.now();
      for (let r = 0; r < 50; r++) call();
      best[i] = Math.min(best[i], ((performance.now() - start) * 1000) / 50);
    });
  }
  total1 += best[0];
  total2 += best[1];
  console.log(`${c.label.padEnd(28)} 1 thread ${best[0].toFixed(1).padStart(7)}  2 threads ${best[1].toFixed(1).padStart(7)}  ×${(best[0] / best[1]).toFixed(2)}`);
}
console.log(`these products together: 1 thread ${total1.toFixed(0)} µs, 2 threads ${total2.toFixed(0)} µs, ×${(total1 / total2).toFixed(2)}`);
two.stopHelper();
