/**
 * Momentum composed with a steepest direction (THEORY §3: Signum = momentum sign descent,
 * Muon = momentum spectral descent), and heavy-ball gradient descent.
 * The moment m lives in a log-scaled frame (moments.ts); its steepest direction u(m) does not
 * depend on that frame's scale, so normalized steps are exact at any gradient scale.
 */
import type { Layout, Norm } from '../core/types.js';
import { l2Norm, linfNorm, makeSpectralNorm } from '../norms/index.js';
import { resolveParams, unitInterval } from './hyper.js';
import { accumulate, emptyMoment, type ScaledMoment } from './moments.js';
import { checkFrame, defineOptimizer } from './optimizer.js';
import type { Optimizer } from './types.js';

interface MomentumSpec {
  readonly name: string;
  /** Direction: steepest of this norm applied to the moment. */
  readonly geometry: Norm;
  /** Reported as `optimizer.norm`. */
  readonly reports: Norm | null;
  readonly beta: number;
  /** m ← βm + gain·g: 1 − β (an average: Signum, Muon) or 1 (heavy ball). */
  readonly gain: number;
  /** Normalized: Δθ = η·u(m). Unnormalized: Δθ = η·‖m‖_*·u(m). */
  readonly normalized: boolean;
}

function momentumSteepest(spec: MomentumSpec): Optimizer<ScaledMoment> {
  return defineOptimizer<ScaledMoment>({
    name: spec.name,
    norm: spec.reports,
    init: (theta) => emptyMoment(theta.length),
    direction(frame, state, _ctx, out) {
      checkFrame(frame, spec.name);
      const m = accumulate(state, spec.beta, spec.gain, frame, 1);
      const d = spec.geometry.steepest(m.buf, out);
      const logMagnitude = d === 0 ? -Infinity : spec.normalized ? 0 : m.logRef + Math.log(d);
      return { state: m, logMagnitude };
    },
  });
}

export const SIGNUM_PARAMS = { beta: unitInterval(0.9) };
export const MUON_PARAMS = { beta: unitInterval(0.95) };
export const MOMENTUM_PARAMS = { beta: unitInterval(0.9) };

/** Signum: m ← βm + (1 − β)g, Δθ = −η·sign(m) (sign(0) = 0); maximizes the ℓ∞ margin. */
export function signum(opts: Readonly<Record<string, unknown>> = {}): Optimizer<ScaledMoment> {
  const { beta } = resolveParams('signum', SIGNUM_PARAMS, opts);
  return momentumSteepest({ name: 'signum', geometry: linfNorm, reports: linfNorm, beta, gain: 1 - beta, normalized: true });
}

/**
 * Muon: m ← βm + (1 − β)g, Δθ = −η·polar(m) per matrix block (vector blocks: m_k/‖m_k‖₂), i.e.
 * normalized steepest descent in the `spectral` norm applied to the moment. The polar factor is
 * the EXACT one from the Jacobi SVD, not Newton–Schulz: the quintic iteration used in practice
 * only brings singular values near 1 (roughly 0.7–1.2), which would make "Muon" a different algorithm
 * from the momentum spectral descent whose implicit bias THEORY §3 states; the blocks here are
 * small enough for an SVD per step.
 */
export function muon(layout: Layout, opts: Readonly<Record<string, unknown>> = {}): Optimizer<ScaledMoment> {
  const { beta } = resolveParams('muon', MUON_PARAMS, opts);
  const spectral = makeSpectralNorm(layout, 'l2');
  return momentumSteepest({ name: 'muon', geometry: spectral, reports: spectral, beta, gain: 1 - beta, normalized: true });
}

/** Heavy-ball GD: v ← βv + g, Δθ = −η·v (= unnormalized ℓ2 steepest descent on v). No norm is claimed. */
export function momentum(opts: Readonly<Record<string, unknown>> = {}): Optimizer<ScaledMoment> {
  const { beta } = resolveParams('momentum', MOMENTUM_PARAMS, opts);
  return momentumSteepest({ name: 'momentum', geometry: l2Norm, reports: null, beta, gain: 1, normalized: false });
}
