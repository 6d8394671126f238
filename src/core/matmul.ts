/**
 * Dense float64 matrix kernels for the reference engine (row-major everywhere).
 * Register-blocked 2×4 so the inner loop does 8 multiply-adds per 6 loads; this is the hot path
 * of every trajectory step (forward, vjp, jvp).
 */

/** out[r×m] = A[r×k] · B[m×k]ᵀ  (dot products of contiguous rows). `out` may not alias A or B. */
export function matmulABt(
  a: Float64Array,
  r: number,
  k: number,
  b: Float64Array,
  m: number,
  out: Float64Array,
): Float64Array {
  let i = 0;
  for (; i + 1 < r; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let t = 0; t < k; t++) {
        const x0 = a[a0 + t];
        const x1 = a[a1 + t];
        const y0 = b[b0 + t];
        const y1 = b[b1 + t];
        const y2 = b[b2 + t];
        const y3 = b[b3 + t];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const o0 = i * m + j;
      const o1 = o0 + m;
      out[o0] = s00; out[o0 + 1] = s01; out[o0 + 2] = s02; out[o0 + 3] = s03;
      out[o1] = s10; out[o1 + 1] = s11; out[o1 + 2] = s12; out[o1 + 3] = s13;
    }
    for (; j < m; j++) {
      const b0 = j * k;
      let s0 = 0, s1 = 0;
      for (let t = 0; t < k; t++) {
        const y = b[b0 + t];
        s0 += a[a0 + t] * y;
        s1 += a[a1 + t] * y;
      }
      out[i * m + j] = s0;
      out[(i + 1) * m + j] = s1;
    }
  }
  for (; i < r; i++) {
    const a0 = i * k;
    for (let j = 0; j < m; j++) {
      const b0 = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += a[a0 + t] * b[b0 + t];
      out[i * m + j] = s;
    }
  }
  return out;
}

/** out[r×m] = A[r×k] · B[k×m]  (row axpys; skips zero entries of A, e.g. inactive ReLUs). */
export function matmulAB(
  a: Float64Array,
  r: number,
  k: number,
  b: Float64Array,
  m: number,
  out: Float64Array,
): Float64Array {
  out.fill(0, 0, r * m);
  for (let i = 0; i < r; i++) {
    const o = i * m;
    for (let t = 0; t < k; t++) {
      const s = a[i * k + t];
      if (s === 0) continue;
      const bo = t * m;
      for (let j = 0; j < m; j++) out[o + j] += s * b[bo + j];
    }
  }
  return out;
}

/** out[c×r] = A[r×c]ᵀ */
export function transpose(a: Float64Array, r: number, c: number, out: Float64Array = new Float64Array(r * c)): Float64Array {
  for (let i = 0; i < r; i++) {
    const o = i * c;
    for (let j = 0; j < c; j++) out[j * r + i] = a[o + j];
  }
  return out;
}
