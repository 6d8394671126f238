/**
 * Step-size schedules, all in the log domain: `logLr` returns log η, combined with the
 * direction's log-magnitude before anything is exponentiated (types.ts).
 *
 *   constant          η = η₀
 *   power             η = η₀·(t + 1)^{−α}, t = ctx.step
 *   loss-based        η = α/𝓛, i.e. log η = log α − log 𝓛 (Lyu & Li), with rollback: reject()
 *                     multiplies α by `shrink`, accept() multiplies it by `grow`, never above η₀
 *   relative-arclength  ‖Δθ‖ = h‖θ‖ in the optimizer's norm (ℓ2 when it has none): the re-timing of
 *                     the flow used by THEORY §5 (clock s = Σ h). For steepest descent this is
 *                     Δθ = h‖θ‖·u(negGrad): the direction's own magnitude cancels, up to the
 *                     round-off of exp/log, a relative ≤ ε·(|log h‖θ‖| + 2|log m|) on the length.
 *
 * How a trajectory loop uses a schedule (the optimizer is pure, so rollback = keep the old state):
 *
 *   const { state: next } = takeStep(opt, schedule, frame, state, ctx, delta);
 *   const logLossNew = loss at θ + Δθ;
 *   if (!(logLossNew <= ctx.logLoss)) { schedule.reject(); retry from θ with `state`; }
 *   else { schedule.accept(); θ += Δθ; state = next; step++; }
 *
 * accept/reject are no-ops except for the loss-based schedule; a loop should cap consecutive
 * rejections (each one halves η by default) and stop with a diagnostic when the cap is hit.
 */
import type { Norm } from '../core/types.js';
import { l2Norm } from '../norms/index.js';
import { resolveParams } from './hyper.js';
import { applyStepSize } from './optimizer.js';
import type { GradFrame, Optimizer, StepContext } from './types.js';

export interface ScheduleContext extends StepContext {
  /** The norm step lengths are measured in: the optimizer's, ℓ2 when it has none. */
  readonly lengthNorm: Norm;
  /** log ‖Δθ‖ at η = 1 in lengthNorm; computed on demand (a spectral norm costs an SVD). */
  logUnitStep(): number;
  /** This step's direction d and log-magnitude m (Δθ = η·e^{m}·d): for schedules that measure the step's effect. */
  readonly direction: Float64Array;
  readonly logMagnitude: number;
}

export interface Schedule {
  readonly name: string;
  logLr(ctx: ScheduleContext): number;
  /** The last proposed step was kept. */
  accept(): void;
  /** The last proposed step was discarded (loss went up or became non-finite). */
  reject(): void;
}

const positive = { min: 0, max: Infinity, minOpen: true };
const noop = () => undefined;

export function constant(opts: Readonly<Record<string, unknown>>): Schedule {
  const { eta } = resolveParams('constant schedule', { eta: positive }, opts);
  const logEta = Math.log(eta);
  return { name: `constant(${eta})`, logLr: () => logEta, accept: noop, reject: noop };
}

export function power(opts: Readonly<Record<string, unknown>>): Schedule {
  const { eta0, alpha } = resolveParams('power schedule', { eta0: positive, alpha: { min: 0, max: Infinity } }, opts);
  const logEta0 = Math.log(eta0);
  return {
    name: `power(${eta0}, ${alpha})`,
    logLr: (ctx) => logEta0 - alpha * Math.log(ctx.step + 1),
    accept: noop,
    reject: noop,
  };
}

export interface LossBasedSchedule extends Schedule {
  /** Current log α (log η = log α − log 𝓛). */
  readonly logAlpha: number;
}

export function lossBased(opts: Readonly<Record<string, unknown>>): LossBasedSchedule {
  const { eta0, shrink, grow } = resolveParams(
    'loss-based schedule',
    {
      eta0: positive,
      shrink: { min: 0, max: 1, minOpen: true, maxOpen: true, default: 0.5 },
      grow: { min: 1, max: Infinity, default: 1.1 },
    },
    opts,
  );
  const logEta0 = Math.log(eta0);
  let logAlpha = logEta0;
  return {
    name: `loss-based(${eta0})`,
    get logAlpha() {
      return logAlpha;
    },
    logLr: (ctx) => logAlpha - ctx.logLoss,
    accept() {
      logAlpha = Math.min(logEta0, logAlpha + Math.log(grow));
    },
    reject() {
      logAlpha += Math.log(shrink);
    },
  };
}

export function relativeArclength(opts: Readonly<Record<string, unknown>>): Schedule {
  const { h } = resolveParams('relative-arclength schedule', { h: positive }, opts);
  const logH = Math.log(h);
  return {
    name: `arclength(${h})`,
    logLr(ctx) {
      const unit = ctx.logUnitStep();
      const logTheta = Math.log(ctx.lengthNorm.value(ctx.theta));
      // A zero direction, or θ = 0, gives a zero step whatever η is: return a finite η.
      return unit === -Infinity || logTheta === -Infinity ? 0 : logH + logTheta - unit;
    },
    accept: noop,
    reject: noop,
  };
}

/** One step: Δθ into `out`, the optimizer's next state, and the log η the schedule chose. */
export function takeStep<S>(
  opt: Optimizer<S>,
  schedule: Schedule,
  frame: GradFrame,
  state: S,
  ctx: StepContext,
  out: Float64Array,
): { state: S; logLr: number } {
  const dir = opt.direction(frame, state, ctx, out);
  const lengthNorm = opt.norm ?? l2Norm;
  let unit: number | undefined;
  const logLr = schedule.logLr({
    ...ctx,
    lengthNorm,
    direction: out,
    logMagnitude: dir.logMagnitude,
    logUnitStep: () => (unit ??= dir.logMagnitude + Math.log(lengthNorm.value(out))),
  });
  applyStepSize(out, logLr, dir.logMagnitude);
  return { state: dir.state, logLr };
}
