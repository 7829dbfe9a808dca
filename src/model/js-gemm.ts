/**
 * Row-major single-precision matrix products in plain JavaScript for the fallback backend: the three
 * shapes a dense layer's forward and backward passes need, with BLAS-style alpha and beta. One strided
 * kernel computes 4×4 blocks of C in 16 local accumulators (8 loads per 16 multiply-adds, no stores in
 * the inner loop): about 3× a row-by-row loop in V8.
 */

function scale(c: Float32Array, count: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, count);
  else if (beta !== 1) for (let i = 0; i < count; i++) c[i] *= beta;
}

/**
 * C(m×n, row-major) += alpha · Σp A(i,p)·B(p,j), where A(i,p) = a[i·ai + p·ap] and B(p,j) = b[p·bp + j·bj].
 */
function accumulate(
  m: number, n: number, k: number, alpha: number,
  a: Float32Array, ai: number, ap: number, b: Float32Array, bp: number, bj: number, c: Float32Array,
): void {
  const m4 = m - (m % 4), n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const ra0 = i * ai, ra1 = ra0 + ai, ra2 = ra1 + ai, ra3 = ra2 + ai;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      const cb0 = j * bj, cb1 = cb0 + bj, cb2 = cb1 + bj, cb3 = cb2 + bj;
      for (let p = 0; p < k; p++) {
        const pa = p * ap, pb = p * bp;
        const a0 = a[ra0 + pa], a1 = a[ra1 + pa], a2 = a[ra2 + pa], a3 = a[ra3 + pa];
        const b0 = b[pb + cb0], b1 = b[pb + cb1], b2 = b[pb + cb2], b3 = b[pb + cb3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let o = i * n + j;
      c[o] += alpha * c00; c[o + 1] += alpha * c01; c[o + 2] += alpha * c02; c[o + 3] += alpha * c03;
      o += n;
      c[o] += alpha * c10; c[o + 1] += alpha * c11; c[o + 2] += alpha * c12; c[o + 3] += alpha * c13;
      o += n;
      c[o] += alpha * c20; c[o + 1] += alpha * c21; c[o + 2] += alpha * c22; c[o + 3] += alpha * c23;
      o += n;
      c[o] += alpha * c30; c[o + 1] += alpha * c31; c[o + 2] += alpha * c32; c[o + 3] += alpha * c33;
    }
  }
  // The edges: columns past the last block of 4 in the blocked rows, then the rows past them.
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * ai + p * ap] * b[p * bp + j * bj];
      c[i * n + j] += alpha * s;
    }
  }
}

/** C(m×n) = alpha·A(m×k)·B(k×n) + beta·C. */
export function gemmNN(
  m: number, n: number, k: number, alpha: number,
  a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
): void {
  scale(c, m * n, beta);
  accumulate(m, n, k, alpha, a, k, 1, b, n, 1, c);
}

/** C(m×n) = alpha·A(m×k)·B(n×k)ᵀ + beta·C. */
export function gemmNT(
  m: number, n: number, k: number, alpha: number,
  a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
): void {
  scale(c, m * n, beta);
  accumulate(m, n, k, alpha, a, k, 1, b, 1, k, c);
}

/** C(m×n) = alpha·A(k×m)ᵀ·B(k×n) + beta·C. */
export function gemmTN(
  m: number, n: number, k: number, alpha: number,
  a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
): void {
  scale(c, m * n, beta);
  accumulate(m, n, k, alpha, a, 1, m, b, n, 1, c);
}
