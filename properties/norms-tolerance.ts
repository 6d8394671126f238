/**
 * Float64 round-off bounds for norm and optimizer identities (DESIGN.md "Verdicts and
 * tolerances"), and a small accumulator that reports the worst sub-check in units of its
 * tolerance. Standard model (Higham, Accuracy and Stability, ch. 3): u = 2^−53, every operation
 * errs by ≤ u relative, and a recursive sum or dot product of k terms errs by
 *     |fl(Σ a_i b_i) − Σ a_i b_i| ≤ γ_k Σ |a_i b_i|,   γ_k = k·u / (1 − k·u).
 */
import type { Layout, Norm } from '../src/core/types.js';
import { JACOBI_MAX_SWEEPS, jacobiThreshold } from '../src/norms/index.js';
import type { Check } from './outcome.js';

export const U = Number.EPSILON / 2;

/**
 * The subnormal spacing 2^−1074. Below 2^−1022 the model above turns absolute (Higham §2.1):
 * fl(x ∘ y) = (x ∘ y)(1 + δ) + η with |δ| ≤ u, |η| ≤ σ/2 (η = 0 for + and −), and exp errs by ≤ σ more.
 */
export const SUBNORMAL = Number.MIN_VALUE;

export function gamma(k: number): number {
  return (k * U) / (1 - k * U);
}

/** γ_P Σ|a_i b_i|: the error bound of the computed ⟨a, b⟩. */
export function dotErrorBound(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
  return gamma(a.length) * s;
}

/**
 * Relative error bound of a singular value of an m×n block computed by one-sided Jacobi
 * (src/norms/svd.ts), measured against ‖A‖_F:
 *  - each rotation perturbs the two columns it touches by ≤ γ_6 of their norm (Higham Lemma
 *    19.8); a column meets n − 1 rotations per sweep for at most S = JACOBI_MAX_SWEEPS sweeps,
 *    so the backward error is ≤ γ_{6Sn}‖A‖_F and each σ moves by no more (Weyl);
 *  - σ_j is read off as a column norm (γ_{m+3}) of columns whose cosines are ≤ τ = √m·ε at
 *    convergence, which biases each σ by ≤ n·τ relative;
 *  - ‖A‖_F ≤ √n·‖A‖_2 and sums of n singular values (nuclear norm) multiply by n.
 */
export function svdRelTol(rows: number, cols: number): number {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  return n * Math.sqrt(n) * (gamma(6 * JACOBI_MAX_SWEEPS * n) + gamma(m + 3)) + n * jacobiThreshold(m);
}

/**
 * Relative error bound of value / dual / the returned ‖g‖_* / ‖u‖ for a norm on a layout.
 * Entry-wise norms: P non-negative terms each with ≤ 4 roundings (scaling, weight, power, abs —
 * Math.pow is within 1 ulp in V8), a P-term sum, a root and a rescaling: γ_{P+6}. Spectral norms
 * add the SVD bound of their largest matrix block.
 */
export function normRelTol(norm: Norm, layout: Layout): number {
  let svd = 0;
  if (norm.name.startsWith('spectral')) {
    for (const l of layout.layers) if (l.kind === 'matrix') svd = Math.max(svd, svdRelTol(l.rows, l.cols));
  }
  return gamma(layout.size + 6) + svd;
}

/** Keeps the worst residual/tolerance over several sub-checks of one generated case. */
export class Worst {
  ratio = 0;
  note = '';

  /** |actual − expected| against tol. */
  close(what: string, actual: number, expected: number, tol: number): void {
    this.record(what, Math.abs(actual - expected), tol, `${actual} vs ${expected}`);
  }

  /** max(0, actual − bound) against tol (a one-sided inequality). */
  atMost(what: string, actual: number, bound: number, tol: number): void {
    this.record(what, Math.max(0, actual - bound), tol, `${actual} > ${bound}`);
  }

  /** A claim with no round-off allowance: false counts as an infinite residual. */
  exact(what: string, ok: boolean): void {
    if (!ok) this.record(what, Infinity, 0, 'not exact');
  }

  private record(what: string, residual: number, tol: number, detail: string): void {
    // A zero residual is exact agreement even against a zero tolerance; a NaN residual is an
    // infinite one, so no later finite check can overwrite the failure.
    const q = residual === 0 ? 0 : residual / tol;
    const r = Number.isNaN(q) ? Infinity : q;
    if (r > this.ratio) {
      this.ratio = r;
      this.note = `${what}: ${detail} (residual ${residual.toExponential(2)}, tol ${tol.toExponential(2)})`;
    }
  }

  result(tags: readonly string[]): Check {
    return { ratio: this.ratio, tags, note: this.note };
  }
}
