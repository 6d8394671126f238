/**
 * One-sided Jacobi SVD (src/norms/svd.ts) against its own backward-error analysis and against
 * matrices with known singular values. Bounds use the sweeps actually taken (S):
 *  - reconstruction ‖A − Σσ_j l_j r_jᵀ‖_F ≤ (3γ_{6Sn} + γ_{n+2})‖A‖_F: γ_{6Sn} backward error of
 *    the rotations (Higham Lemma 19.8, n − 1 rotations per column per sweep), 2γ_{6Sn} for the
 *    accumulated V not being exactly orthogonal, γ_{n+2} for forming the sum;
 *  - ‖UᵀU − I‖_max ≤ τ + 3γ_{m+3}: columns stop rotating at cosine τ = √m·ε as measured by a dot
 *    product of m terms, then get normalized; ‖VᵀV − I‖_max ≤ 2γ_{6Sn}.
 */
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/core/rng.js';
import { JACOBI_MAX_SWEEPS, jacobiThreshold, rankRtol, thinSvd, type ThinSvd } from '../../src/norms/index.js';
import { gamma } from '../../properties/norms-tolerance.js';

function frobenius(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] / m) ** 2;
  return m * Math.sqrt(s);
}

function reconstruct(s: ThinSvd): Float64Array {
  const out = new Float64Array(s.rows * s.cols);
  for (let j = 0; j < s.k; j++) {
    for (let r = 0; r < s.rows; r++) {
      for (let c = 0; c < s.cols; c++) out[r * s.cols + c] += s.sigma[j] * s.left[j * s.rows + r] * s.right[j * s.cols + c];
    }
  }
  return out;
}

/** max |⟨x_i, x_j⟩ − δ_ij| over the k vectors of length len stored back to back (skipping zero vectors). */
function orthogonalityError(x: Float64Array, k: number, len: number): number {
  let e = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let d = 0;
      let ni = 0;
      for (let t = 0; t < len; t++) {
        d += x[i * len + t] * x[j * len + t];
        ni += x[i * len + t] ** 2;
      }
      if (ni === 0) continue;
      e = Math.max(e, Math.abs(d - (i === j ? 1 : 0)));
    }
  }
  return e;
}

function expectAccurate(a: Float64Array, rows: number, cols: number): ThinSvd {
  const s = thinSvd(a, rows, cols, true);
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const S = Math.max(1, s.sweeps);
  expect(s.sweeps).toBeLessThan(JACOBI_MAX_SWEEPS);
  const diff = reconstruct(s).map((v, i) => v - a[i]);
  const fro = frobenius(a);
  expect(frobenius(diff)).toBeLessThanOrEqual((3 * gamma(6 * S * n) + gamma(n + 2)) * fro);
  // m-long singular vectors live in `left` when rows ≥ cols, in `right` otherwise.
  const [long, short] = rows >= cols ? [s.left, s.right] : [s.right, s.left];
  expect(orthogonalityError(long, n, m)).toBeLessThanOrEqual(jacobiThreshold(m) + 3 * gamma(m + 3));
  expect(orthogonalityError(short, n, n)).toBeLessThanOrEqual(2 * gamma(6 * S * n));
  return s;
}

/** Householder reflector I − 2vvᵀ/‖v‖² applied to the rows×cols matrix a from the left. */
function reflectRows(a: Float64Array, rows: number, cols: number, v: Float64Array): void {
  const vv = v.reduce((t, x) => t + x * x, 0);
  for (let c = 0; c < cols; c++) {
    let d = 0;
    for (let r = 0; r < rows; r++) d += v[r] * a[r * cols + c];
    for (let r = 0; r < rows; r++) a[r * cols + c] -= (2 * d * v[r]) / vv;
  }
}

describe('one-sided Jacobi SVD', () => {
  const shapes: [number, number][] = [[1, 1], [1, 7], [7, 1], [3, 3], [5, 2], [2, 5], [40, 40], [100, 800], [800, 100]];
  for (const [rows, cols] of shapes) {
    it(`random Gaussian ${rows}×${cols}: backward error and orthogonality`, () => {
      const a = makeRng(`svd/${rows}x${cols}`).fillGaussian(new Float64Array(rows * cols));
      expectAccurate(a, rows, cols);
    });
  }

  it('known singular values: Q1·diag(s)·Q2ᵀ with Householder Q, including repeated and graded σ', () => {
    const rows = 6;
    const cols = 4;
    const sigma = [3, 3, 1e-3, 1e-9];
    const rng = makeRng('svd/known');
    const a = new Float64Array(rows * cols);
    sigma.forEach((s, j) => (a[j * cols + j] = s));
    reflectRows(a, rows, cols, rng.fillGaussian(new Float64Array(rows)));
    // Right reflector: reflect the rows of aᵀ.
    const at = new Float64Array(cols * rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) at[c * rows + r] = a[r * cols + c];
    reflectRows(at, cols, rows, rng.fillGaussian(new Float64Array(cols)));
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) a[r * cols + c] = at[c * rows + r];
    const s = expectAccurate(a, rows, cols);
    const got = [...s.sigma].sort((x, y) => y - x);
    // Constructing A costs two reflections (γ_{2·6} each, relative to ‖A‖_F); Jacobi adds its own.
    const tol = (gamma(24) + 3 * gamma(6 * s.sweeps * cols)) * frobenius(a);
    got.forEach((g, j) => expect(Math.abs(g - sigma[j])).toBeLessThanOrEqual(tol));
  });

  it('rank-deficient and zero matrices: trailing σ vanish, vectors of zero σ are zero', () => {
    const rng = makeRng('svd/rank2');
    const [rows, cols] = [6, 5];
    const u = [rng.fillGaussian(new Float64Array(rows)), rng.fillGaussian(new Float64Array(rows))];
    const v = [rng.fillGaussian(new Float64Array(cols)), rng.fillGaussian(new Float64Array(cols))];
    const a = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) a[r * cols + c] = u[0][r] * v[0][c] + u[1][r] * v[1][c];
    const s = expectAccurate(a, rows, cols);
    const sorted = [...s.sigma].sort((x, y) => y - x);
    // Rank 2: σ_3.. are round-off, below the rank tolerance the polar factor uses.
    for (const t of sorted.slice(2)) expect(t).toBeLessThanOrEqual(rankRtol(rows, cols) * sorted[0]);

    const z = thinSvd(new Float64Array(12), 3, 4, true);
    expect([...z.sigma]).toEqual([0, 0, 0]);
    expect(z.sweeps).toBe(0);
  });

  it('no overflow or underflow at 2^±665 ≈ 1e±200: exactly the scaled result', () => {
    const a = makeRng('svd/scale').fillGaussian(new Float64Array(12));
    const ref = thinSvd(a, 3, 4, true);
    for (const scale of [2 ** 665, 2 ** -665]) {
      // Scaling by a power of two commutes with rounding, and the matrix is rescaled by its max
      // entry before any square is formed, so every step repeats bit for bit.
      const s = expectAccurate(a.map((x) => x * scale), 3, 4);
      expect([...s.sigma]).toEqual([...ref.sigma].map((x) => x * scale));
      expect([...s.left]).toEqual([...ref.left]);
    }
  });
});
