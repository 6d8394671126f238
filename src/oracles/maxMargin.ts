/**
 * Exact max-margin on rows z_n (THEORY §8), with a certificate:
 *   γ* = max_{‖w‖_p ≤ 1} min_n ⟨z_n, w⟩ = min_{μ ∈ Δ} ‖Σ_n μ_n z_n‖_*        (LP/QP duality).
 * Whatever the solver returns, any w ≠ 0 gives the lower bound min_n ⟨z_n, w⟩/‖w‖_p and any
 * μ ∈ Δ the upper bound ‖Σ μ_n z_n‖_* (Hölder: min_n ⟨z_n, w⟩ ≤ ⟨Σ μ_n z_n, w⟩ ≤ ‖Σ μ z‖_*‖w‖).
 * Both are recomputed here from w and μ, so infeasibility or sub-optimality of the solver's
 * answer can only widen the bracket [gamma, gammaUpper] ∋ γ*, and the bracket is then checked.
 * The linear oracle uses z_n = y_n x_n; the KKT residual uses z_n = ∇q_n / c_n.
 */
import { InputError } from '../core/errors.js';
import { norm1, norm2, normInf } from '../core/vec.js';
import { LP_TOL } from './highs.js';
import { maxMarginLp } from './lp.js';
import { maxMarginQp } from './qp.js';

export type OracleNorm = 'l1' | 'l2' | 'linf';
export const ORACLE_NORMS: readonly OracleNorm[] = ['l1', 'l2', 'linf'];

export function isOracleNorm(name: string): name is OracleNorm {
  return (ORACLE_NORMS as readonly string[]).includes(name);
}

/** ‖·‖_p and its dual ‖·‖_* for the three oracle norms. */
export const PRIMAL_NORM: Record<OracleNorm, (v: Float64Array) => number> = { l1: norm1, l2: norm2, linf: normInf };
export const DUAL_NORM: Record<OracleNorm, (v: Float64Array) => number> = { l1: normInf, l2: norm2, linf: norm1 };

/** What a solver returns before certification. */
export interface RawMaxMargin {
  /** A primal direction (any positive scale). */
  readonly w: Float64Array;
  /** Unnormalized dual weights μ ≥ 0. */
  readonly mu: Float64Array;
}

export interface MaxMargin {
  readonly norm: OracleNorm;
  /** min_n ⟨z_n, w⟩ with ‖w‖_p = 1: attained, so a lower bound on γ*. */
  readonly gamma: number;
  /** ‖Σ μ_n z_n‖_* with μ ∈ Δ: a certified upper bound on γ*. */
  readonly gammaUpper: number;
  readonly w: Float64Array;
  /** Dual weights: μ ≥ 0, Σ μ = 1. */
  readonly mu: Float64Array;
  /** gammaUpper − gamma (≥ 0 up to round-off). */
  readonly dualityGap: number;
  /** The acceptance tolerance the gap was checked against (see `gapTolerance`). */
  readonly tolerance: number;
  readonly solveMs: number;
}

/**
 * Acceptance tolerance of the bracket, for rows scaled to max|z| = s. The LPs run on z/s with
 * primal and dual feasibility tolerance δ = LP_TOL: each of the d (2d for ℓ1) column reduced costs
 * may be off by δ, shifting ‖Σ μ z‖_* by at most 2(d + 2)δ (ℓ∞ worst case; the ℓ1 dual is a max,
 * off by 2δ), and the margin rows by δ. quadprog's active-set solve is exact up to round-off and
 * is held to the same δ. The certificate's own dot products add ≤ d·ε·d in scaled units.
 */
export function gapTolerance(s: number, d: number): number {
  return s * (2 * (d + 2) * LP_TOL + d * d * Number.EPSILON);
}

export function maxMarginRows(z: Float64Array, n: number, d: number, norm: OracleNorm): MaxMargin {
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < z.length; i++) s = Math.max(s, Math.abs(z[i]));
  const tolerance = gapTolerance(s, d);
  if (s === 0) throw new InputError(`data is not linearly separable (γ*_${norm} = 0: every y_n x_n is 0)`);
  const zs = z.map((v) => v / s);
  const raw = norm === 'l2' ? maxMarginQp(zs, n, d) : maxMarginLp(zs, n, d, norm);
  const w = raw.w;
  const wNorm = PRIMAL_NORM[norm](w);
  if (wNorm > 0) for (let j = 0; j < d; j++) w[j] /= wNorm;
  const mu = raw.mu;
  const muSum = mu.reduce((a, b) => a + b, 0);
  if (!(muSum > 0)) throw new Error(`max-margin (${norm}): the solver returned no dual weights`);
  for (let i = 0; i < n; i++) mu[i] /= muSum;
  let gamma = wNorm > 0 ? Infinity : 0;
  const combo = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) {
      m += z[i * d + j] * w[j];
      combo[j] += mu[i] * z[i * d + j];
    }
    gamma = Math.min(gamma, m);
  }
  const gammaUpper = DUAL_NORM[norm](combo);
  if (!(gamma > tolerance)) {
    throw new InputError(`data is not linearly separable (γ*_${norm} = ${gammaUpper.toPrecision(3)}, not above the solver tolerance ${tolerance.toExponential(1)})`);
  }
  const dualityGap = gammaUpper - gamma;
  if (!(dualityGap <= tolerance)) {
    throw new Error(
      `max-margin (${norm}): duality gap ${dualityGap.toExponential(2)} = ${(dualityGap / tolerance).toFixed(1)} × tolerance ` +
        `${tolerance.toExponential(1)} (γ in [${gamma}, ${gammaUpper}]): solver failure`,
    );
  }
  return { norm, gamma, gammaUpper, w, mu, dualityGap, tolerance, solveMs: performance.now() - t0 };
}
