/**
 * The re-timed steepest flow of THEORY §5.2–5.3, one Δq-controlled step at a time:
 *   θ_{k+1} = θ_k + h_k‖θ_k‖u_k,   u_k ∈ U(G_k),   G_k = Σ_n p_n ∇q_n(θ_k),
 *   h_k = min(dq/10, dq / max_n |‖θ_k‖⟨∇q_n(θ_k), u_k⟩|)   over q_n ≤ q_min + band,
 * on the clock s = Σ h_k. The softmax weights come from the unnormalized q in the log domain (no
 * θ̂/ρ rewrite, so it is valid for non-homogeneous nets too). Every buffer is allocated once per
 * state; a step allocates nothing (net and norm kernels permitting).
 */
import type { Dataset, Evaluation, Net, Norm } from '../core/types.js';
import { isReduced, toEngineGrid } from '../engines/index.js';
import type { Loss } from '../losses/index.js';
import { minMargin, reducedLogLoss, type MarginConvention } from '../metrics/margins.js';

export interface FlowProblem {
  readonly net: Net;
  readonly data: Dataset;
  readonly loss: Loss;
  /** The algorithm norm: ρ = ‖θ‖ in the step and the norm that names the margins. */
  readonly norm: Norm;
  /** Whose steepest set supplies u: the algorithm norm (any other is a test-only mutant). */
  readonly stepNorm: Norm;
  readonly convention: MarginConvention;
}

/** Why a run stopped early: a non-finite quantity (named, with the step), G = 0 exactly, or its step cap. */
export type FlowStop =
  | { readonly kind: 'non-finite'; readonly step: number; readonly quantity: string; readonly value: number }
  | { readonly kind: 'zero-direction'; readonly step: number }
  | { readonly kind: 'step cap'; readonly step: number }
  | { readonly kind: 'rejections'; readonly step: number; readonly count: number };

export function describeStop(stop: FlowStop): string {
  switch (stop.kind) {
    case 'non-finite':
      return `${stop.quantity} = ${stop.value} at step ${stop.step}`;
    case 'zero-direction':
      return `Σ p_n ∇q_n = 0 exactly at step ${stop.step} (no direction: every unit inactive?)`;
    case 'step cap':
      return `step cap reached at step ${stop.step}`;
    case 'rejections':
      return `${stop.count} consecutive rejected steps at step ${stop.step}`;
  }
}

export class FlowState {
  readonly theta: Float64Array;
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly g: Float64Array;
  readonly u: Float64Array;
  private readonly rates: Float64Array;
  /** The engine computes in float32: θ stays on its grid, and judged quantities come from the float64 reference. */
  readonly reduced: boolean;
  /** The evaluation at the current θ (null before evaluate() and after advance()). */
  private ev: Evaluation | null = null;
  private pattern: Uint8Array | null = null;
  private spare: Uint8Array | undefined;
  /** log 𝓛 under the convention, the sum-form log 𝓛, log W of the weights, ρ = ‖θ‖, q_min. */
  logL = NaN;
  logLSum = NaN;
  logW = NaN;
  rho = NaN;
  qMin = NaN;

  constructor(readonly problem: FlowProblem) {
    const { net, data } = problem;
    const size = net.layout.size;
    this.theta = new Float64Array(size);
    this.q = new Float64Array(data.n);
    this.p = new Float64Array(data.n);
    this.g = new Float64Array(size);
    this.u = new Float64Array(size);
    this.rates = new Float64Array(data.n);
    this.reduced = isReduced(net);
  }

  /**
   * log 𝓛 at the current θ as the float64 judge sees it (THEORY §9): the engine's own value on the
   * f64 engine, else the float64 reference net's margins at the exact image of the float32 θ.
   */
  judgedLogLoss(): number {
    if (!this.reduced) return this.logL;
    const { net, data, loss, convention } = this.problem;
    return reducedLogLoss(loss.logLoss(net.reference.margins(this.theta, data)), data.n, convention);
  }

  reset(theta0: Float64Array): void {
    this.release(); // θ changes: the next evaluate() runs the forward pass
    this.theta.set(theta0);
    toEngineGrid(this.problem.net, this.theta);
    this.pattern = null;
  }

  /** Frees the evaluation at the current θ (device memory on a float32 engine). */
  release(): void {
    this.ev?.dispose();
    this.ev = null;
  }

  private at(): Evaluation {
    if (!this.ev) throw new Error('FlowState: evaluate() first');
    return this.ev;
  }

  /**
   * q, log 𝓛, ρ and q_min at the current θ (one forward pass, skipped when an evaluation at this θ
   * was adopted); returns the name and value of a non-finite one, or null.
   */
  evaluate(): { quantity: string; value: number } | null {
    const { net, data, loss, norm, convention } = this.problem;
    if (!this.ev) {
      this.ev = net.at(this.theta, data);
      this.q.set(this.ev.margins);
    }
    this.logLSum = loss.logLoss(this.q);
    this.logL = reducedLogLoss(this.logLSum, this.q.length, convention);
    this.qMin = minMargin(this.q);
    this.rho = norm.value(this.theta);
    if (!Number.isFinite(this.logL)) return { quantity: 'log 𝓛', value: this.logL };
    if (!Number.isFinite(this.qMin)) return { quantity: 'q_min', value: this.qMin };
    if (!Number.isFinite(this.rho)) return { quantity: `‖θ‖ (${norm.name})`, value: this.rho };
    return null;
  }

  /** Moves to θ with its evaluation `ev` (already at θ): the next evaluate() runs no forward pass. */
  adopt(theta: Float64Array, ev: Evaluation): void {
    this.release();
    this.theta.set(theta);
    this.ev = ev;
    this.q.set(ev.margins);
  }

  /** p and G = Σ p_n ∇q_n at the evaluated θ (call after evaluate()); −∇𝓛 = e^{log W}·G. */
  gradient(): void {
    this.logW = this.problem.loss.weights(this.q, this.p);
    this.at().vjp(this.p, this.g);
  }

  /** p, G = Σ p_n ∇q_n and u ∈ U(G) at the evaluated θ (call right after evaluate()); returns ‖G‖_* (0 iff G = 0). */
  direction(): number {
    this.gradient();
    return this.problem.stepNorm.steepest(this.g, this.u);
  }

  /**
   * The Δq step control of THEORY §5.3 with one forward-mode pass (call right after direction()): min(dq/10, dq/r) with
   * r = max |ρ⟨∇q_n, u⟩| over the samples with q_n ≤ q_min + band (the rest carry weight ≤ e^{−band}).
   */
  stepLength(dq: number, band: number): number {
    this.at().jvp(this.u, this.rates);
    const cutoff = this.qMin + band;
    let r = 0;
    for (let i = 0; i < this.q.length; i++) if (this.q[i] <= cutoff) r = Math.max(r, Math.abs(this.rates[i]));
    r *= this.rho;
    return r > 0 ? Math.min(dq / 10, dq / r) : dq / 10;
  }

  /** θ ← θ + h·ρ·u. */
  advance(h: number): void {
    this.release();
    const c = h * this.rho;
    const { theta, u } = this;
    for (let i = 0; i < theta.length; i++) theta[i] += c * u[i];
    if (this.reduced) toEngineGrid(this.problem.net, theta);
  }

  /** Activation flips (kink crossings) since the previous call, at the evaluated θ; null for nets without kinks. */
  flipsSinceLast(): number | null {
    if (!this.problem.net.kinked) return null;
    const next = this.at().pattern!(this.spare);
    const prev = this.pattern;
    let flips = 0;
    if (prev) for (let i = 0; i < next.length; i++) if (prev[i] !== next[i]) flips++;
    this.spare = prev ?? undefined;
    this.pattern = next;
    return flips;
  }
}
