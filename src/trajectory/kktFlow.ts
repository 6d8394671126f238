/**
 * A Δq-controlled steepest flow (THEORY §5.2–5.3, the re-timing θ ← θ + h‖θ‖u on the clock s) from
 * an arbitrary θ, with the KKT residual R of THEORY §7 in the algorithm norm recorded at the
 * late-phase entry (the first iterate with log 𝓛 below the loss's threshold: 𝓛 < 1 for the
 * exponential loss) and then every `spacing` of s, and stopped by the caller's target or the step
 * budget. Used for the linear runs of Theorem 3.8 (Gunasekar et al.): unlike runSegment it starts
 * before the late phase, has no horizon and no grid clipping, and can stop as soon as the target is
 * met, so the steps it reports are the steps the target took (to checkpoint resolution).
 */
import type { KktOptions } from '../metrics/kkt.js';
import type { FlowState, FlowStop } from './flow.js';
import { FlowRule, runLoop } from './loop.js';
import { recordKkt } from './kktRecord.js';
import type { KktPoint } from './segment.js';

export interface KktFlowOptions {
  readonly dq: number;
  readonly band: number;
  /** Step budget, counted from θ_init (pre-late-phase steps included). */
  readonly maxSteps: number;
  /** s between R checkpoints after the late-phase entry. */
  readonly spacing: number;
  readonly kkt?: KktOptions;
  /** Checked at every R checkpoint after the entry; true stops the run with `target`. */
  readonly stopWhen?: (entry: KktPoint, current: KktPoint) => boolean;
}

export interface KktFlowRun {
  readonly steps: number;
  readonly s: number;
  /** `target`: stopWhen fired; `step cap`: the budget ran out (a FlowStop); or another FlowStop. */
  readonly stop: 'target' | FlowStop;
  /** Step of the late-phase entry, or null if it was never reached. */
  readonly lateStep: number | null;
  /** R at the entry, then every `spacing` of s, then at the last iterate (step order). */
  readonly points: readonly KktPoint[];
}

/** Runs in place on `state` (already reset to θ_init); state.theta is the last iterate afterwards. */
export function runKktFlow(state: FlowState, opts: KktFlowOptions): KktFlowRun {
  const { net, data, norm, loss } = state.problem;
  const threshold = loss.logLatePhaseThreshold;
  const points: KktPoint[] = [];
  const rule = new FlowRule(opts.dq, opts.band);
  let lateStep: number | null = null;
  let next = Infinity;
  let target = false;
  const record = (step: number): KktPoint => {
    const point = { s: rule.clock, step, logL: state.logL, rho: state.rho, record: recordKkt(net, state.theta, data, norm, state.qMin, opts.kkt) };
    points.push(point);
    return point;
  };
  const end = runLoop(state, rule, {
    maxSteps: opts.maxSteps,
    visit(step) {
      if (lateStep === null && state.logL < threshold) {
        lateStep = step;
        record(step);
        next = rule.clock + opts.spacing;
      } else if (lateStep !== null && rule.clock >= next) {
        const point = record(step);
        next = rule.clock + opts.spacing;
        if (opts.stopWhen?.(points[0], point)) {
          target = true;
          return 'done';
        }
      }
    },
  });
  const stop: KktFlowRun['stop'] = target ? 'target' : (end.stop as FlowStop);
  if ((stop === 'target' || stop.kind !== 'non-finite') && lateStep !== null && points[points.length - 1]?.step !== end.steps) record(end.steps);
  return { steps: end.steps, s: rule.clock, stop, lateStep, points };
}
