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
import { l1Norm, l2Norm, linfNorm, makeNorm } from '../norms/index.js';
import { takeStep, type Optimizer, type Schedule, type StepContext } from '../optimizers/index.js';
import { measureCheckpoint, type Checkpoint, type MeasureContext } from './checkpoint.js';
import type { KktRecording } from './kktRecord.js';

export interface Budget {
  /** Step cap (default 1e6 when only another budget is given). */
  readonly steps?: number;
  /** Stop once the flow time t = Σ η_k reaches this. */
  readonly flowTime?: number;
  /** Stop at the first iterate with log 𝓛 ≤ this. */
  readonly logLoss?: number;
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
  | { readonly kind: 'budget'; readonly which: 'steps' | 'flow time' | 'loss' }
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

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

function allZero(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return false;
  return true;
}

function firstNonFinite(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

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
  const maxRejections = spec.maxRejections ?? 0;

  const size = net.layout.size;
  const n = data.n;
  let theta: Float64Array = spec.init instanceof Float64Array ? spec.init.slice() : net.init(spec.init.scale, makeRng(spec.init.seed).child('init'));
  if (theta.length !== size) throw new InputError(`init.length = ${theta.length}: ${net.name} has ${size} parameters`);
  let cand: Float64Array = new Float64Array(size);
  let q = new Float64Array(n);
  let qc = new Float64Array(n);
  const p = new Float64Array(n);
  const g = new Float64Array(size);
  const delta = new Float64Array(size);

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

  net.margins(theta, data, q);
  let logLSum = loss.logLoss(q);
  let logL = reducedLogLoss(logLSum, n, convention);
  let state = optimizer.init(theta);
  // One mutable context object for the whole run (the optimizer reads it, never keeps it).
  const ctx: { step: number; theta: Float64Array; logLoss: number } = { step: 0, theta, logLoss: logL };
  let lateStep: number | null = null;
  let logT = -Infinity;
  let nextCheckpoint = 0;
  let rejections = 0;
  let step = 0;
  // True while the net's last forward pass was at θ (so vjp may reuse it, Net.vjp's reuseForward).
  let forwardAtTheta = true;
  // True while p, log W and g are those of the current θ (a rejected step leaves θ unchanged).
  let gradientAtTheta = false;
  let logW = NaN;

  const finish = (stop: TrajectoryStop, measureLast: boolean, logW = NaN): TrajectoryResult => {
    if (measureLast && checkpoints[checkpoints.length - 1]?.step !== step) {
      if (Number.isNaN(logW)) {
        logW = loss.weights(q, p);
        net.vjp(theta, data, p, g);
      }
      const late = logL < threshold;
      checkpoints.push(measureCheckpoint(mctx, { step, logFlowTime: logT, theta, q, p, logW, logLoss: logL, logLossSum: logLSum, qMin: minMargin(q), late, g }));
    }
    return { checkpoints, lateStep, steps: step, logFlowTime: logT, stop, diagnostic: describeTrajectoryStop(stop), theta };
  };

  if (!Number.isFinite(logL)) return finish({ kind: 'non-finite', step, quantity: 'log 𝓛', value: logL }, false);
  for (;;) {
    if (logL < threshold && lateStep === null) lateStep = step;
    const due = step >= nextCheckpoint || step === lateStep;
    if (step >= stepCap) return finish({ kind: 'budget', which: 'steps' }, true);
    if (logT >= logTimeCap) return finish({ kind: 'budget', which: 'flow time' }, true);
    if (budget.logLoss !== undefined && logL <= budget.logLoss) return finish({ kind: 'budget', which: 'loss' }, true);

    if (!gradientAtTheta) {
      logW = loss.weights(q, p);
      net.vjp(theta, data, p, g, forwardAtTheta);
      const badG = firstNonFinite(g);
      if (badG >= 0) return finish({ kind: 'non-finite', step, quantity: `(Σ p_n ∇q_n)[${badG}]`, value: g[badG] }, false);
      if (allZero(g)) return finish({ kind: lateStep === null ? 'no late phase' : 'zero direction', step }, true, logW);
      gradientAtTheta = true;
    }

    ctx.step = step;
    ctx.theta = theta;
    ctx.logLoss = logL;
    const { state: nextState, logLr } = takeStep(optimizer, schedule, { negGrad: g, logScale: logW }, state, ctx as StepContext, delta);
    for (let i = 0; i < size; i++) cand[i] = theta[i] + delta[i];
    net.margins(cand, data, qc);
    const logLcSum = loss.logLoss(qc);
    const logLc = reducedLogLoss(logLcSum, n, convention);
    const bad = !Number.isFinite(logLc) || !Number.isFinite(logLr);
    if (bad || (maxRejections > 0 && logLc > logL)) {
      if (maxRejections === 0) {
        const i = firstNonFinite(cand);
        return finish(
          i >= 0
            ? { kind: 'non-finite', step, quantity: `θ[${i}]`, value: cand[i] }
            : { kind: 'non-finite', step, quantity: Number.isFinite(logLr) ? 'log 𝓛' : 'log η', value: Number.isFinite(logLr) ? logLc : logLr },
          false,
        );
      }
      schedule.reject();
      forwardAtTheta = false;
      if (++rejections > maxRejections) return finish({ kind: 'rejections', step, count: rejections }, true, logW);
      continue;
    }
    schedule.accept();
    rejections = 0;
    gradientAtTheta = false;
    forwardAtTheta = true; // margins ran at cand, which becomes θ below
    if (due) {
      checkpoints.push(
        measureCheckpoint(mctx, {
          step,
          logFlowTime: logT,
          theta,
          q,
          p,
          logW,
          logLoss: logL,
          logLossSum: logLSum,
          qMin: minMargin(q),
          late: logL < threshold,
          g,
          delta,
          logLr,
          next: cand,
        }),
      );
      nextCheckpoint = every ? step + every : Math.max(step + 1, Math.ceil(step * ratio));
      // The KKT solve ran the net at θ/q_min^{1/L}: the forward pass at cand is no longer cached.
      if (kkt) forwardAtTheta = false;
    }
    const accepted = cand;
    cand = theta;
    theta = accepted;
    const qAccepted = qc;
    qc = q;
    q = qAccepted;
    logL = logLc;
    logLSum = logLcSum;
    state = nextState;
    logT = logAddExp(logT, logLr);
    step++;
  }
}
