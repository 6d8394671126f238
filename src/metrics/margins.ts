/**
 * Margins, soft margins and the slacks of Theorem 3.1 as small pure functions (THEORY §4, §5).
 *
 * Margins are named by the PARAMETER norm that normalizes them: γ_∞ = q_min / ‖θ‖_∞^L.
 * Everything takes log 𝓛 (never 𝓛, which underflows at q ≈ 745; THEORY §9).
 *
 * `MarginConvention` is the single place where the two classic silent bugs of THEORY §1/§9 can be
 * injected on purpose (test-only mutants): a mean loss instead of the sum, and ‖θ‖ instead of ‖θ‖^L.
 * Production code always uses THEORY_CONVENTION.
 */
import type { Loss } from '../losses/index.js';

export interface MarginConvention {
  /** `sum` is THEORY §1; `mean` (𝓛/N) is a mutant. */
  readonly reduction: 'sum' | 'mean';
  /** `degree` divides by ‖θ‖^L (THEORY §4); `one` divides by ‖θ‖ (a mutant). */
  readonly power: 'degree' | 'one';
}

export const THEORY_CONVENTION: MarginConvention = { reduction: 'sum', power: 'degree' };

/** log 𝓛 under the convention from the sum-form log Σ ℓ(q_n) of N samples (mean mutant: minus log N). */
export function reducedLogLoss(logLossSum: number, n: number, conv: MarginConvention = THEORY_CONVENTION): number {
  return conv.reduction === 'mean' ? logLossSum - Math.log(n) : logLossSum;
}

/** The exponent the normalizing norm is raised to: L, or 1 for the mutant. */
export function marginPower(degree: number, conv: MarginConvention = THEORY_CONVENTION): number {
  return conv.power === 'degree' ? degree : 1;
}

/**
 * x / ρ^k. Direct division while ρ^k is a normal finite float (one rounding each for the power and
 * the quotient); through logs beyond that, so huge or tiny ρ never overflow or underflow.
 */
export function divideByPower(x: number, rho: number, k: number): number {
  const rk = rho ** k;
  if (Number.isFinite(rk) && rk > 1e-300) return x / rk;
  if (x === 0) return 0;
  return Math.sign(x) * Math.exp(Math.log(Math.abs(x)) - k * Math.log(rho));
}

/** Normalized margin γ = q_min / ‖θ‖^L (THEORY §4); `rho` is ‖θ‖ in the norm that names γ. */
export function normalizedMargin(qMin: number, rho: number, degree: number, conv: MarginConvention = THEORY_CONVENTION): number {
  return divideByPower(qMin, rho, marginPower(degree, conv));
}

/** Soft margin γ̃ = ℓ⁻¹(𝓛) / ‖θ‖^L from log 𝓛 (already under the convention, see reducedLogLoss). */
export function softMargin(loss: Loss, logL: number, rho: number, degree: number, conv: MarginConvention = THEORY_CONVENTION): number {
  return divideByPower(loss.inverse(logL), rho, marginPower(degree, conv));
}

/**
 * log γ̃ = log ℓ⁻¹(𝓛) − L·log ρ: the quantity whose window differences form the statistic D of
 * THEORY §5.4. NaN when ℓ⁻¹(𝓛) ≤ 0 (outside the late phase γ̃ has no logarithm).
 */
export function logSoftMargin(loss: Loss, logL: number, rho: number, degree: number, conv: MarginConvention = THEORY_CONVENTION): number {
  const num = loss.inverse(logL);
  return num > 0 ? Math.log(num) - marginPower(degree, conv) * Math.log(rho) : NaN;
}

/**
 * log |ℓ'(φ)| at φ = ℓ⁻¹(𝓛): exponential 𝓛 (so log 𝓛); logistic 1 − e^{−𝓛} (since e^{−φ} = expm1(𝓛)
 * and |ℓ'(φ)| = σ(−φ)), with log(1 − e^{−𝓛}) = log 𝓛 − 𝓛/2 + O(𝓛²) for tiny 𝓛.
 */
function logDerivativeAtInverse(loss: Loss, logL: number): number {
  if (loss.name === 'exp') return logL;
  if (logL < -20) return logL - 0.5 * Math.exp(logL);
  return Math.log(-Math.expm1(-Math.exp(logL)));
}

/**
 * Slack (a) of THEORY §5, "loss to margin": ν/(𝓛 log(1/𝓛)) − 1 with ν = Σ e^{−q_n} q_n. In the log
 * domain ν/𝓛 = Σ p_n q_n (softmax weights). For a general loss the same step of the proof reads
 * ν_W ≥ |ℓ'(φ)|·φ with ν_W = Σ|ℓ'(q_n)| q_n = W Σ p_n q_n and φ = ℓ⁻¹(𝓛); this derivation (ours, not
 * the paper's) reduces to the exponential form when W = 𝓛. Non-negative in the late phase.
 * `logW` and `p` are what `loss.weights(q, p)` returned/wrote; `logL` is the sum-form log 𝓛.
 */
export function lossToMarginSlack(loss: Loss, q: Float64Array, p: Float64Array, logW: number, logL: number): number {
  let mean = 0;
  for (let i = 0; i < q.length; i++) if (p[i] !== 0) mean += p[i] * q[i];
  const phi = loss.inverse(logL);
  return Math.exp(logW - logDerivativeAtInverse(loss, logL)) * (mean / phi) - 1;
}

/**
 * Slack (b), alignment A = 1 − ⟨θ, −g⟩/(ρ‖g‖_*) ∈ [0, 1] (Hölder). With −g = W·G, G = Σ p_n ∇q_n,
 * the positive factor W cancels: A = 1 − ⟨θ, G⟩/(ρ‖G‖_*). NaN when ρ‖G‖_* = 0.
 */
export function alignmentSlack(thetaDotG: number, rho: number, dualG: number): number {
  const den = rho * dualG;
  return den > 0 ? 1 - thetaDotG / den : NaN;
}

/**
 * Slack (c), norm rate 1 − (dρ/dt)/‖dθ/dt‖, measured on one step as 1 − (ρ(θ + Δ) − ρ(θ))/‖Δ‖.
 * In [0, 2] by the triangle inequality. NaN for a zero step.
 */
export function normRateSlack(rhoBefore: number, rhoAfter: number, stepNorm: number): number {
  return stepNorm > 0 ? 1 - (rhoAfter - rhoBefore) / stepNorm : NaN;
}

/** Fraction of samples with q_n > 0. */
export function trainAccuracy(q: Float64Array): number {
  let k = 0;
  for (let i = 0; i < q.length; i++) if (q[i] > 0) k++;
  return k / q.length;
}

/** min_n q_n (NaN propagates: a NaN margin is never hidden by the minimum). */
export function minMargin(q: Float64Array): number {
  let m = Infinity;
  for (let i = 0; i < q.length; i++) {
    if (Number.isNaN(q[i])) return NaN;
    if (q[i] < m) m = q[i];
  }
  return m;
}
