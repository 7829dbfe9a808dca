import { test } from 'node:test';
import { gemmNN, gemmNT, gemmTN } from './js-gemm.js';
import { assertClose, randomMatrix } from './test-support.js';

/** The textbook triple loop: C = alpha·op(A)·op(B) + beta·C. */
function reference(
  m: number, n: number, k: number, alpha: number, a: Float32Array, transA: boolean,
  b: Float32Array, transB: boolean, beta: number, c: Float32Array,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = alpha * s + beta * c[i * n + j];
    }
  }
  return out;
}

// Sizes with and without remainders past the 4×4 blocks.
const SHAPES = [[8, 12, 5], [7, 9, 13], [1, 3, 2], [5, 4, 1]];

for (const [name, gemm, transA, transB] of [
  ['gemmNN()', gemmNN, false, false],
  ['gemmNT()', gemmNT, false, true],
  ['gemmTN()', gemmTN, true, false],
] as const) {
  test(`${name} equals the textbook product with alpha and beta, blocks and edges alike`, () => {
    for (const [m, n, k] of SHAPES) {
      for (const [alpha, beta] of [[1, 0], [-0.5, 1], [2, 0.25]]) {
        const a = randomMatrix(m, k, m + n).data;
        const b = randomMatrix(k, n, k + 7).data;
        const c = randomMatrix(m, n, 3).data;
        const expected = reference(m, n, k, alpha, a, transA, b, transB, beta, c);
        gemm(m, n, k, alpha, a, b, beta, c);
        assertClose(c, expected, 1e-6, `${name} ${m}x${n}x${k} alpha ${alpha} beta ${beta}`);
      }
    }
  });
}
