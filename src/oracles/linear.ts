/**
 * Exact max-margin oracle for linear models f(w; x) = ⟨w, x⟩ on separable data (THEORY §8):
 * γ*_p = max_{‖w‖_p ≤ 1} min_n y_n ⟨w, x_n⟩ for p ∈ {ℓ1, ℓ2, ℓ∞} (the parameter norm), the
 * maximizer w*_p (‖w*‖_p = 1) and the dual weights μ* (μ ≥ 0, Σ μ = 1, ‖Σ μ_n y_n x_n‖_* = γ*).
 * Steepest descent in ‖·‖_p with the exponential loss converges in direction to w*_p.
 */
import type { Dataset } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { allFinite } from '../core/vec.js';
import { isOracleNorm, maxMarginRows, ORACLE_NORMS, type MaxMargin } from './maxMargin.js';

export type { MaxMargin, OracleNorm } from './maxMargin.js';

/** Throws an InputError when the data is not linearly separable (γ*_p not above the solver tolerance). */
export function maxMarginLinear(data: Dataset, norm: string): MaxMargin {
  if (!isOracleNorm(norm)) {
    throw new InputError(`norm = ${JSON.stringify(norm)}: the linear oracle solves ${ORACLE_NORMS.join(', ')} only`);
  }
  const { n, d, x, y } = data;
  if (!allFinite(x)) throw new InputError('data.x: inputs must be finite (found NaN or ±Infinity)');
  if (!y.every((v) => v === 1 || v === -1)) throw new InputError('data.y: labels must be +1 or -1');
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = y[i] * x[i * d + j];
  return maxMarginRows(z, n, d, norm);
}
