/**
 * Thin SVD of a small dense matrix by one-sided (Hestenes) Jacobi.
 *
 * Why Jacobi: it needs no library (mathjs has no SVD), it is deterministic (fixed cyclic pair
 * order), and it computes singular values and vectors to high relative accuracy (Demmel &
 * Veselić 1992): the column orthogonality reached is the convergence threshold τ = √m·ε, and
 * the backward error is a few ε per rotation. Measured (test/norms/svd.test.ts):
 * ‖A − UΣVᵀ‖_F/‖A‖_F and max|UᵀU − I|, max|VᵀV − I| are ~4e-16 for small blocks and ≤ 2.5e-14
 * at 100×800, the largest size targeted (10 sweeps, about 0.2–0.4 s there).
 *
 * Sign conventions: callers only use sign-invariant products (left_j·right_jᵀ and sums of
 * them), so the sign of each singular pair never leaks out.
 *
 * Overflow: the matrix is copied scaled by 1/max|a_ij| before any square is formed.
 */

/** Cap on cyclic sweeps; convergence is quadratic and takes 5–10 sweeps in practice. */
export const JACOBI_MAX_SWEEPS = 60;

/** Rotate columns i, j while |⟨b_i, b_j⟩| > τ·‖b_i‖‖b_j‖, τ = √m·ε (m = column length). */
export function jacobiThreshold(m: number): number {
  return Math.sqrt(m) * Number.EPSILON;
}

/** A = Σ_j sigma[j]·left_j·right_jᵀ, j < k = min(rows, cols); pairs unsorted. */
export interface ThinSvd {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly sigma: Float64Array;
  /** left_j = left[j·rows .. (j+1)·rows); empty when vectors were not requested. */
  readonly left: Float64Array;
  /** right_j = right[j·cols .. (j+1)·cols); empty when vectors were not requested. */
  readonly right: Float64Array;
  /** Sweeps used (≤ JACOBI_MAX_SWEEPS): a diagnostic for tests. */
  readonly sweeps: number;
}

/**
 * SVD of the rows×cols row-major matrix stored at a[offset ..]. Works on the n = min(rows, cols)
 * columns of length m = max(rows, cols) of A (rows ≥ cols) or of Aᵀ (rows < cols), so the
 * rotations act on the short side.
 */
export function thinSvd(a: Float64Array, rows: number, cols: number, vectors: boolean, offset = 0): ThinSvd {
  const transposed = rows < cols;
  const m = transposed ? cols : rows;
  const n = transposed ? rows : cols;
  let scale = 0;
  for (let i = 0; i < rows * cols; i++) scale = Math.max(scale, Math.abs(a[offset + i]));
  // b holds column j of the working matrix at [j·m, (j+1)·m).
  const b = new Float64Array(m * n);
  if (scale > 0) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = a[offset + r * cols + c] / scale;
        if (transposed) b[r * m + c] = v;
        else b[c * m + r] = v;
      }
    }
  }
  const v = vectors ? identity(n) : null;
  const sweeps = scale > 0 ? orthogonalize(b, m, n, v) : 0;

  const sigma = new Float64Array(n);
  const uHat = new Float64Array(v ? m * n : 0);
  for (let j = 0; j < n; j++) {
    const s = columnNorm(b, j * m, m);
    sigma[j] = scale * s;
    // Working matrix W = Σ_j s_j û_j v_jᵀ with û_j = b_j/‖b_j‖; A = W, or Wᵀ when transposed.
    if (v && s > 0) for (let i = 0; i < m; i++) uHat[j * m + i] = b[j * m + i] / s;
  }
  if (!v) return { rows, cols, k: n, sigma, left: uHat, right: uHat, sweeps };

  return transposed
    ? { rows, cols, k: n, sigma, left: v, right: uHat, sweeps }
    : { rows, cols, k: n, sigma, left: uHat, right: v, sweeps };
}

function identity(n: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let j = 0; j < n; j++) v[j * n + j] = 1;
  return v;
}

/** Cyclic one-sided Jacobi on the n columns of b (length m), accumulating V in v. */
function orthogonalize(b: Float64Array, m: number, n: number, v: Float64Array | null): number {
  const tau = jacobiThreshold(m);
  for (let sweep = 1; sweep <= JACOBI_MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const oi = i * m;
        const oj = j * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < m; k++) {
          const x = b[oi + k];
          const y = b[oj + k];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (!(Math.abs(gamma) > tau * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        // Rotation that zeroes ⟨b_i, b_j⟩ (Golub & Van Loan §8.6.3); hypot avoids ζ² overflow.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.hypot(1, t);
        const s = c * t;
        rotate(b, oi, oj, m, c, s);
        if (v) rotate(v, i * n, j * n, n, c, s);
      }
    }
    if (!rotated) return sweep;
  }
  return JACOBI_MAX_SWEEPS;
}

function rotate(a: Float64Array, oi: number, oj: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const x = a[oi + k];
    const y = a[oj + k];
    a[oi + k] = c * x - s * y;
    a[oj + k] = s * x + c * y;
  }
}

/** ‖a[o .. o+len)‖₂ scaled by its max entry (squares of tiny entries do not underflow to 0). */
function columnNorm(a: Float64Array, o: number, len: number): number {
  let mx = 0;
  for (let k = 0; k < len; k++) mx = Math.max(mx, Math.abs(a[o + k]));
  if (mx === 0) return 0;
  let s = 0;
  for (let k = 0; k < len; k++) {
    const t = a[o + k] / mx;
    s += t * t;
  }
  return mx * Math.sqrt(s);
}
