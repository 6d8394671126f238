/**
 * The one step loop (DESIGN.md "one loop"): every run — the pre-phase, the Theorem 3.1 segment, the
 * Theorem 3.8 linear flow and optimizer trajectories — is this loop with a step rule and hooks.
 *
 *   evaluate θ_k → hooks.visit(k) (records, stop conditions) → step cap → rule.step → hooks.stepped(k)
 *
 * Two rules: the Δq-controlled re-timed steepest flow θ ← θ + h‖θ‖u on the clock s (THEORY §5.2–5.3),
 * and an optimizer's update with its schedule and optional rejection on the clock log t (THEORY §3).
 * Engine-agnostic: the state evaluates through `net.at`, so a float32 engine runs the same loop.
 */
import type { Evaluation } from '../core/types.js';
import { toEngineGrid } from '../engines/index.js';
import { reducedLogLoss } from '../metrics/margins.js';
import { takeStep, type Optimizer, type Schedule, type StepContext } from '../optimizers/index.js';
import type { FlowState, FlowStop } from './flow.js';

export interface StepRule {
  /** The clock after the last step: s for the re-timed flow, log t for optimizer steps. */
  readonly clock: number;
  /** One step from the evaluated state, not passing `target` on the clock; null, or why it cannot. */
  step(state: FlowState, step: number, target: number): FlowStop | null;
}

export interface LoopHooks {
  readonly maxSteps: number;
  /** At each evaluated iterate, before its step; 'done' ends the run there. */
  visit(step: number): 'done' | void;
  /** The clock value the next step may not pass (grid points); +∞ when absent. */
  target?(): number;
  /** After a step from iterate `step` (the state still holds its q, p, G, u; θ has moved). */
  stepped?(step: number): void;
}

export interface LoopEnd {
  /** The index of the last iterate evaluated. */
  readonly steps: number;
  readonly stop: 'done' | FlowStop;
}

export function runLoop(state: FlowState, rule: StepRule, hooks: LoopHooks): LoopEnd {
  for (let step = 0; ; step++) {
    const bad = state.evaluate();
    if (bad) return { steps: step, stop: { kind: 'non-finite', step, ...bad } };
    if (hooks.visit(step) === 'done') return { steps: step, stop: 'done' };
    if (step >= hooks.maxSteps) return { steps: step, stop: { kind: 'step cap', step } };
    const stop = rule.step(state, step, hooks.target?.() ?? Infinity);
    if (stop) return { steps: step, stop };
    hooks.stepped?.(step);
  }
}

/** THEORY §5.2–5.3: u ∈ U(G), h = Δq control clipped to the target, θ ← θ + h‖θ‖u, s += h. */
export class FlowRule implements StepRule {
  clock = 0;
  /** ‖G‖_* and h of the last step. */
  dual = NaN;
  h = NaN;
  constructor(
    readonly dq: number,
    readonly band: number,
  ) {}

  step(state: FlowState, step: number, target: number): FlowStop | null {
    const dual = state.direction();
    if (!Number.isFinite(dual)) return { kind: 'non-finite', step, quantity: '‖G‖_*', value: dual };
    if (dual === 0) return { kind: 'zero-direction', step };
    const gap = target - this.clock;
    const h = Math.min(state.stepLength(this.dq, this.band), gap);
    if (!(h > 0)) return { kind: 'non-finite', step, quantity: 'step h (Δq control)', value: h };
    this.dual = dual;
    this.h = h;
    state.advance(h);
    const next = this.clock + h;
    // Land exactly on the target when the step was clipped to it (aligned windows, §5.4).
    this.clock = h === gap || next >= target ? target : next;
    return null;
  }
}

/** The step an optimizer rule is about to accept: Δθ, log η and θ + Δθ (θ, q, p, G still in the state). */
export interface AcceptedStep {
  readonly delta: Float64Array;
  readonly logLr: number;
  readonly next: Float64Array;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function isZero(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return false;
  return true;
}

function firstNonFinite(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

/**
 * θ ← θ + Δθ from `optimizer` under `schedule` (THEORY §3), with the loss frame (G, log W) so that
 * η = α/𝓛 never overflows. With maxRejections > 0 a step that raises log 𝓛 or makes it non-finite is
 * rejected (schedule.reject()) and retried from the same θ and gradient, up to that many in a row.
 */
export class OptimizerRule<S> implements StepRule {
  /** log t, t = Σ η_k. */
  clock = -Infinity;
  private optState: S;
  private readonly delta: Float64Array;
  private readonly cand: Float64Array;
  private readonly qc: Float64Array;
  private readonly ctx: { step: number; theta: Float64Array; logLoss: number };
  constructor(
    state: FlowState,
    private readonly optimizer: Optimizer<S>,
    private readonly schedule: Schedule,
    private readonly maxRejections: number,
    /** Called with the step about to be accepted (checkpoints read θ_k's quantities there). */
    private readonly beforeAccept?: (step: number, accepted: AcceptedStep) => void,
  ) {
    const size = state.theta.length;
    this.optState = optimizer.init(state.theta);
    this.delta = new Float64Array(size);
    this.cand = new Float64Array(size);
    this.qc = new Float64Array(state.q.length);
    this.ctx = { step: 0, theta: state.theta, logLoss: NaN };
  }

  step(state: FlowState, step: number): FlowStop | null {
    const { net, data, loss, convention } = state.problem;
    state.gradient();
    const badG = firstNonFinite(state.g);
    if (badG >= 0) return { kind: 'non-finite', step, quantity: `(Σ p_n ∇q_n)[${badG}]`, value: state.g[badG] };
    if (isZero(state.g)) return { kind: 'zero-direction', step };
    for (let rejections = 0; ; ) {
      this.ctx.step = step;
      this.ctx.logLoss = state.logL;
      const frame = { negGrad: state.g, logScale: state.logW };
      const { state: nextState, logLr } = takeStep(this.optimizer, this.schedule, frame, this.optState, this.ctx as StepContext, this.delta);
      for (let i = 0; i < this.cand.length; i++) this.cand[i] = state.theta[i] + this.delta[i];
      toEngineGrid(net, this.cand);
      const ev: Evaluation = net.at(this.cand, data);
      this.qc.set(ev.margins);
      const logLc = reducedLogLoss(loss.logLoss(this.qc), this.qc.length, convention);
      const bad = !Number.isFinite(logLc) || !Number.isFinite(logLr);
      if (bad || (this.maxRejections > 0 && logLc > state.logL)) {
        ev.dispose();
        if (this.maxRejections === 0) {
          const i = firstNonFinite(this.cand);
          if (i >= 0) return { kind: 'non-finite', step, quantity: `θ[${i}]`, value: this.cand[i] };
          return Number.isFinite(logLr)
            ? { kind: 'non-finite', step, quantity: 'log 𝓛', value: logLc }
            : { kind: 'non-finite', step, quantity: 'log η', value: logLr };
        }
        this.schedule.reject();
        if (++rejections > this.maxRejections) return { kind: 'rejections', step, count: rejections };
        continue;
      }
      this.schedule.accept();
      this.beforeAccept?.(step, { delta: this.delta, logLr, next: this.cand });
      state.adopt(this.cand, ev);
      this.optState = nextState;
      this.clock = logAddExp(this.clock, logLr);
      return null;
    }
  }
}
