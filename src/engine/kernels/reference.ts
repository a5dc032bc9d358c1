import type { Kernels } from './kernels';

/**
 * The plainest possible implementation of the kernels: one obvious loop per definition, no tricks.
 * It is slow on purpose; it is the yardstick every fast kernel is tested against.
 */
export const referenceKernels: Kernels = {
  name: 'reference',

  createBuffer(length) {
    return new Float32Array(length);
  },

  matmul(a, b, c, m, k, n) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
        c[i * n + j] = sum;
      }
    }
  },

  matmulTransA(a, b, c, m, k, n) {
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let i = 0; i < m; i++) sum += a[i * k + p] * b[i * n + j];
        c[p * n + j] = sum;
      }
    }
  },

  matmulTransB(a, b, c, m, n, k) {
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < k; q++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += a[i * n + j] * b[q * n + j];
        c[i * k + q] = sum;
      }
    }
  },

  addBias(y, bias, rows, cols) {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) y[r * cols + j] += bias[j];
    }
  },

  sumRows(g, out, rows, cols) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += g[r * cols + j];
      out[j] = sum;
    }
  },
};
