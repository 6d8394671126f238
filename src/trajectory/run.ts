/**
 * The trajectory runner (issue 4, DESIGN.md "trajectory"): optimizer steps θ_{k+1} = θ_k + Δθ_k in
 * float64 and in the log domain (THEORY §9): the loss is carried as log 𝓛, the gradient as the
 * frame (G = Σ p_n ∇q_n, log W) with −∇𝓛 = e^{log W}·G, and the flow time as log t, so runs reach
 * 𝓛 = e^{−10⁴} (and η = α/𝓛 = e^{10⁴}α) without under- or overflow.
 *
 * Stops: the budget (steps, log t, or a target log 𝓛); a non-finite quantity (named, with the step);
 * an exactly zero G (before the late phase: "no late phase", never a NaN); or, with rollback, too many
 * consecutive rejected steps. Checkpoints: geometric in the step count (or every k steps), plus the
 * late-phase entry and the last iterate. Buffers are allocated once per run.
 */
import type { Dataset, Net } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { makeRng } from '../core/rng.js';
import { getLoss, type Loss } from '../losses/index.js';
import { minMargin, reducedLogLoss, THEORY_CONVENTION, type MarginConvention } from '../metrics/margins.js';
import { withEvaluation } from '../engines/index.js';
import { l1Norm, l2Norm, linfNorm, makeNorm } from '../norms/index.js';
import type { Optimizer, Schedule } from '../optimizers/index.js';
import { measureCheckpoint, type Checkpoint, type MeasureContext } from './checkpoint.js';
import { FlowState } from './flow.js';
import type { KktRecording } from './kktRecord.js';
import { OptimizerRule, runLoop, type AcceptedStep } from './loop.js';

export interface Budget {
  /** Step cap (default 1e6 when only another budget is given). */
  readonly steps?: number;
  /** Stop once the flow time t = Σ η_k reaches this. */
  readonly flowTime?: number;
  /** Stop at the first iterate with log 𝓛 ≤ this. */
  readonly logLoss?: number;
  /** Stop at the first iterate evaluated once performance.now() ≥ this (a wall-clock limit, ms). */
  readonly deadline?: number;
}

export interface TrajectorySpec {
  readonly net: Net;
  readonly data: Dataset;
  readonly loss?: Loss;
  readonly optimizer: Optimizer<any>;
  readonly schedule: Schedule;
  /** θ₀ itself, or the init scale and seed it is drawn from (net.init(scale, rng(seed)/init)). */
  readonly init: Float64Array | { readonly scale: number; readonly seed: number | string };
  readonly budget: Budget;
  /** L for the margins; required when the net is not homogeneous. */
  readonly degree?: number;
  /** Checkpoint at steps growing by this factor (default 1.25), or every `every` steps. */
  readonly checkpoints?: { readonly ratio?: number; readonly every?: number };
  /** Reject a step that raises log 𝓛 or makes it non-finite (schedule.reject()), up to this many in a row. */
  readonly maxRejections?: number;
  readonly keepTheta?: boolean;
  /**
   * Record the KKT residual R of THEORY §7 at every checkpoint whose θ separates the data
   * (Checkpoint.kkt; null where q_min ≤ 0). `true`: in the algorithm norm with the default solver
   * options; an object may name another norm (required for optimizers without one, e.g. Adam).
   * Off by default: it costs an LP/QP (or a matrix-free solve) per checkpoint.
   */
  readonly kkt?: boolean | KktRecording;
  /** Test-only mutation point (THEORY_CONVENTION otherwise). */
  readonly convention?: MarginConvention;
}

export type TrajectoryStop =
  | { readonly kind: 'budget'; readonly which: 'steps' | 'flow time' | 'loss' | 'wall clock' }
  | { readonly kind: 'no late phase'; readonly step: number }
  | { readonly kind: 'zero direction'; readonly step: number }
  | { readonly kind: 'non-finite'; readonly step: number; readonly quantity: string; readonly value: number }
  | { readonly kind: 'rejections'; readonly step: number; readonly count: number };

export interface TrajectoryResult {
  readonly checkpoints: readonly Checkpoint[];
  /** First step with log 𝓛 below the late-phase threshold, or null. */
  readonly lateStep: number | null;
  readonly steps: number;
  readonly logFlowTime: number;
  readonly stop: TrajectoryStop;
  /** One line naming the stop (the step and quantity for a non-finite one). */
  readonly diagnostic: string;
  readonly theta: Float64Array;
}

const DEFAULT_STEP_CAP = 1_000_000;

export function describeTrajectoryStop(stop: TrajectoryStop): string {
  switch (stop.kind) {
    case 'budget':
      return `budget reached (${stop.which})`;
    case 'no late phase':
      return `no late phase: Σ p_n ∇q_n = 0 exactly at step ${stop.step}`;
    case 'zero direction':
      return `Σ p_n ∇q_n = 0 exactly at step ${stop.step} (late phase)`;
    case 'non-finite':
      return `non-finite ${stop.quantity} = ${stop.value} at step ${stop.step}`;
    case 'rejections':
      return `${stop.count} consecutive rejected steps at step ${stop.step}`;
  }
}

export function runTrajectory(spec: TrajectorySpec): TrajectoryResult {
  const { net, data, optimizer, schedule, budget } = spec;
  const loss = spec.loss ?? getLoss('exp');
  const convention = spec.convention ?? THEORY_CONVENTION;
  const degree = net.degree ?? spec.degree;
  if (degree === undefined || !(degree > 0)) throw new InputError(`degree = ${spec.degree}: ${net.name} is not homogeneous; supply L`);
  if (budget.steps === undefined && budget.flowTime === undefined && budget.logLoss === undefined) {
    throw new InputError('budget = {}: give steps, flowTime or logLoss');
  }
  const stepCap = budget.steps ?? DEFAULT_STEP_CAP;
  const logTimeCap = budget.flowTime === undefined ? Infinity : Math.log(budget.flowTime);
  const ratio = spec.checkpoints?.ratio ?? 1.25;
  const every = spec.checkpoints?.every;

  const theta0: Float64Array = spec.init instanceof Float64Array ? spec.init : net.init(spec.init.scale, makeRng(spec.init.seed).child('init'));
  if (theta0.length !== net.layout.size) throw new InputError(`init.length = ${theta0.length}: ${net.name} has ${net.layout.size} parameters`);

  const alg = optimizer.norm;
  const norms = [l1Norm, l2Norm, linfNorm];
  if (alg && !norms.some((m) => m.name === alg.name)) norms.push(alg);
  const kktSpec = spec.kkt === true ? {} : spec.kkt || null;
  let kkt: MeasureContext['kkt'];
  if (kktSpec) {
    const kktNorm = kktSpec.norm ? makeNorm(kktSpec.norm, net.layout) : alg;
    if (!kktNorm) throw new InputError(`kkt: optimizer ${optimizer.name} has no norm; give kkt.norm`);
    kkt = { net, data, norm: kktNorm, options: kktSpec.options ?? {} };
  }
  const mctx: MeasureContext = { loss, degree, convention, norms, algorithmNorm: alg, keepTheta: spec.keepTheta ?? false, kkt };
  const checkpoints: Checkpoint[] = [];
  const threshold = loss.logLatePhaseThreshold;

  // The state's norm only feeds ρ, which optimizer steps do not read: ℓ2 keeps evaluate() O(P).
  const state = new FlowState({ net, data, loss, norm: l2Norm, stepNorm: l2Norm, convention });
  state.reset(theta0);
  let lateStep: number | null = null;
  let nextCheckpoint = 0;
  let due = false;
  let which: 'flow time' | 'loss' | 'wall clock' = 'loss';
  const measure = (step: number, logFlowTime: number, accepted?: AcceptedStep): Checkpoint => {
    const at = state.reduced
      ? judgeAt(net.reference, state.theta, data, loss, convention)
      : { q: state.q, p: state.p, logW: state.logW, logLoss: state.logL, logLossSum: state.logLSum, qMin: state.qMin, g: state.g };
    return measureCheckpoint(mctx, { step, logFlowTime, theta: state.theta, late: at.logLoss < threshold, ...at, ...accepted });
  };
  const rule = new OptimizerRule(state, optimizer, schedule, spec.maxRejections ?? 0, (step, accepted) => {
    if (!due) return;
    checkpoints.push(measure(step, rule.clock, accepted));
    nextCheckpoint = every ? step + every : Math.max(step + 1, Math.ceil(step * ratio));
  });
  const end = runLoop(state, rule, {
    maxSteps: stepCap,
    visit(step) {
      if (state.logL < threshold && lateStep === null) lateStep = step;
      due = step >= nextCheckpoint || step === lateStep;
      if (rule.clock >= logTimeCap) return ((which = 'flow time'), 'done');
      if (budget.logLoss !== undefined && state.logL <= budget.logLoss) return ((which = 'loss'), 'done');
      if (budget.deadline !== undefined && performance.now() >= budget.deadline) return ((which = 'wall clock'), 'done');
    },
  });

  const stop: TrajectoryStop =
    end.stop === 'done'
      ? { kind: 'budget', which }
      : end.stop.kind === 'step cap'
        ? { kind: 'budget', which: 'steps' }
        : end.stop.kind === 'zero-direction'
          ? { kind: lateStep === null ? 'no late phase' : 'zero direction', step: end.stop.step }
          : end.stop;
  // The last iterate is measured unless a quantity went non-finite there.
  if (stop.kind !== 'non-finite' && checkpoints[checkpoints.length - 1]?.step !== end.steps) {
    if (stop.kind !== 'rejections' && stop.kind !== 'no late phase' && stop.kind !== 'zero direction') state.gradient();
    checkpoints.push(measure(end.steps, rule.clock));
  }
  const theta = state.theta.slice();
  state.release();
  return { checkpoints, lateStep, steps: end.steps, logFlowTime: rule.clock, stop, diagnostic: describeTrajectoryStop(stop), theta };
}

/** q, softmax weights, G and log 𝓛 at θ by the float64 reference (checkpoints of a float32 run, THEORY §9). */
function judgeAt(reference: Net, theta: Float64Array, data: Dataset, loss: Loss, convention: MarginConvention) {
  return withEvaluation(reference, theta, data, (ev) => {
    const q = ev.margins.slice();
    const p = new Float64Array(data.n);
    const logW = loss.weights(q, p);
    const logLossSum = loss.logLoss(q);
    return { q, p, logW, logLoss: reducedLogLoss(logLossSum, data.n, convention), logLossSum, qMin: minMargin(q), g: ev.vjp(p) };
  });
}
