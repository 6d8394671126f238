/**
 * Optimizers as pure { init, update } transforms over explicit state (optax style, DESIGN.md).
 *
 * Gradients arrive in a scaled frame because the loss is never formed in the late phase
 * (THEORY §9: 𝓛 can be e^{−10⁴}): −∇𝓛 = e^{logScale}·negGrad, negGrad = Σ_n p_n ∇q_n and
 * logScale = log W from Loss.weights. Step sizes are combined in the log domain, so a step stays
 * finite and nonzero when e^{logScale} alone would underflow.
 */
import type { Norm } from '../core/types.js';

export interface GradFrame {
  readonly negGrad: Float64Array;
  readonly logScale: number;
}

export interface StepContext {
  /** Steps accepted so far (0 for the first step). */
  readonly step: number;
  readonly theta: Float64Array;
  readonly logLoss: number;
}

/** A step direction d (written to `out` by `direction`) and its scale: Δθ = η·e^{logMagnitude}·d. */
export interface Direction<S> {
  readonly state: S;
  /** −∞ exactly when d = 0. */
  readonly logMagnitude: number;
}

export interface Optimizer<S = unknown> {
  readonly name: string;
  /** The norm whose margin this optimizer maximizes (THEORY §3); null when there is none (Adam, momentum GD). */
  readonly norm: Norm | null;
  init(theta: Float64Array): S;
  /**
   * Writes d into `out` and returns the next state and log m with Δθ = η·m·d. The next state
   * never depends on η, and the inputs are never mutated: keeping the old state is a rollback.
   */
  direction(frame: GradFrame, state: S, ctx: StepContext, out: Float64Array): Direction<S>;
  /** Writes Δθ = e^{logLr}·m·d into `out` (log lr + log m summed before exponentiating). */
  update(frame: GradFrame, state: S, ctx: StepContext, logLr: number, out: Float64Array): S;
}
