/**
 * ℓ∞ and ℓ1 max-margin LPs (THEORY §8) on rows z_n (N×d row-major, entries of order 1):
 *   ℓ∞:  max γ  s.t.  ⟨z_n, w⟩ − γ ≥ 0,  −1 ≤ w_j ≤ 1;
 *   ℓ1:  max γ  s.t.  ⟨z_n, w⁺ − w⁻⟩ − γ ≥ 0,  Σ_j (w⁺_j + w⁻_j) ≤ 1,  w± ≥ 0.
 * The duals μ_n ≥ 0 of the margin rows sum to 1 (the γ column) and solve the dual
 * min_{μ ∈ Δ} ‖Σ μ_n z_n‖_* (ℓ1 for ℓ∞, ℓ∞ for ℓ1).
 */
import { highs, solveLp } from './highs.js';
import type { RawMaxMargin } from './maxMargin.js';

export function maxMarginLp(z: Float64Array, n: number, d: number, norm: 'l1' | 'linf'): RawMaxMargin {
  const split = norm === 'l1';
  const nw = split ? 2 * d : d;
  const numCols = nw + 1;
  const gammaCol = nw;
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = z[i * d + j];
      if (v === 0) continue;
      indices.push(j);
      values.push(v);
      if (split) {
        indices.push(d + j);
        values.push(-v);
      }
    }
    indices.push(gammaCol);
    values.push(-1);
    starts.push(indices.length);
  }
  if (split) {
    for (let j = 0; j < nw; j++) {
      indices.push(j);
      values.push(1);
    }
    starts.push(indices.length);
  }
  const numRows = split ? n + 1 : n;
  const inf = highs.infinity;
  const colLower = new Float64Array(numCols).fill(split ? 0 : -1);
  const colUpper = new Float64Array(numCols).fill(split ? inf : 1);
  colLower[gammaCol] = -inf;
  colUpper[gammaCol] = inf;
  const colCost = new Float64Array(numCols);
  colCost[gammaCol] = 1;
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows).fill(inf);
  if (split) {
    rowLower[n] = -inf;
    rowUpper[n] = 1;
  }
  const sol = solveLp(
    {
      numCols,
      numRows,
      sense: highs.constants.objectiveSense.maximize,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    },
    `max-margin LP (${norm})`,
  );
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) w[j] = split ? sol.x[j] - sol.x[d + j] : sol.x[j];
  // In a maximization HiGHS reports the dual of an active `≥` row as ≤ 0.
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) mu[i] = Math.max(0, -sol.rowDual[i]);
  return { w, mu };
}
